// A duration in the few units a person reads at a glance: 45s, 12m, 3h 5m, 2d 4h.
export function formatSpan(ms: number): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  if (m < 1) return `${Math.floor(Math.abs(ms) / 1000)}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d ${h % 24}h`;
}
