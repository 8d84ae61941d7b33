// Twilio on both sides of a bench: signed inbound SMS webhooks as Twilio posts them, and a local
// Messages API that accepts outbound SMS (failing some once, as a busy provider does).
import http from 'node:http';
import { twilioSign } from '../../test/fixtures/provider-signatures.js';

/** Posts an inbound SMS to a Twilio webhook, signed as Twilio signs it (HMAC-SHA1 of the URL and the sorted form). */
export function postTwilioSms(hook: string, token: string, params: Record<string, string>): Promise<Response> {
  return fetch(hook, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign(token, hook, params) },
    body: new URLSearchParams(params).toString(),
  });
}

/** A local Twilio Messages API: replies whose number is a multiple of 10 get a 503 the first time. */
export async function twilioStub(onAccepted: (j: number) => void): Promise<{ base: string; failedOnce: () => number; close(): Promise<void> }> {
  const failed = new Set<number>();
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const j = Number(/#out(\d+)#/.exec(new URLSearchParams(Buffer.concat(chunks).toString()).get('Body') ?? '')?.[1] ?? -1);
      if (j >= 0 && j % 10 === 0 && !failed.has(j)) {
        failed.add(j);
        res.writeHead(503);
        res.end('busy');
        return;
      }
      if (j >= 0) onAccepted(j);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SMout${++n}`, status: 'queued' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    failedOnce: () => failed.size,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
