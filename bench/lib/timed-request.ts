// Timing an API call from a bench, and the figures made of the times.
import http from 'node:http';

/** One request with a bearer key; the answer's status, body and milliseconds from send to the last byte. */
export function timedRequest(base: string, method: string, path: string, key: string): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The p-th percentile of `xs` (nearest rank). */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
/** Rounded to a tenth. */
export const r1 = (x: number) => Math.round(x * 10) / 10;
