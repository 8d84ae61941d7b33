// A progress bar on stderr for long imports: a live bar on a terminal, a line every few seconds
// otherwise (CI logs, pipes), so the figure is always visible and never floods.
export function createProgress(label: string, totalBytes: number) {
  const isTty = process.stderr.isTTY === true;
  // Rates and redraw intervals are elapsed time: the monotonic clock, not a decision about "now".
  const start = performance.now();
  let last = 0;
  function render(bytes: number, rows: number, force = false) {
    const now = performance.now();
    if (!force && now - last < (isTty ? 100 : 5000)) return;
    last = now;
    const pct = totalBytes > 0 ? Math.min(100, (bytes / totalBytes) * 100) : 0;
    const rate = rows / Math.max((now - start) / 1000, 0.001);
    if (isTty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct.toFixed(1)}% ${rows.toLocaleString('en')} rows ${Math.round(rate).toLocaleString('en')} rows/s `,
      );
    } else {
      process.stderr.write(`${label}: ${pct.toFixed(1)}% ${rows} rows ${Math.round(rate)} rows/s\n`);
    }
  }
  return {
    update: (bytes: number, rows: number) => render(bytes, rows),
    done(rows: number) {
      render(totalBytes, rows, true);
      if (isTty) process.stderr.write('\n');
    },
  };
}
