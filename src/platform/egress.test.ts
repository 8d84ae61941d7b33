import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEgress, EgressError, isAddressAllowed, parseEgressAllow } from './egress.js';

const none = parseEgressAllow('');

describe('isAddressAllowed', () => {
  it('refuses loopback, private, link-local, unique-local, metadata and other special addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.200',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isAddressAllowed(none, a), a).toBe(false);
    }
  });
  it('lets public unicast addresses through', () => {
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700::6810:84e5']) expect(isAddressAllowed(none, a), a).toBe(true);
  });
  it('lets the operator allow ranges and single addresses', () => {
    const p = parseEgressAllow('10.0.0.0/8, ::1 fd00::/8');
    expect(isAddressAllowed(p, '10.9.9.9')).toBe(true);
    expect(isAddressAllowed(p, '::1')).toBe(true);
    expect(isAddressAllowed(p, 'fd12::1')).toBe(true);
    expect(isAddressAllowed(p, '192.168.0.1')).toBe(false);
    expect(isAddressAllowed(p, '127.0.0.1')).toBe(false);
  });
  it('refuses an allow-list entry that is neither a CIDR, an address nor a host name', () => {
    expect(() => parseEgressAllow('10.0.0.0/99')).toThrow(/RAPPORT_EGRESS_ALLOW/);
    expect(() => parseEgressAllow('http://x')).toThrow(/RAPPORT_EGRESS_ALLOW/);
  });
});

describe('egress fetch', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url!);
      if (req.url === '/to-other-loopback') return res.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end();
      if (req.url === '/hop') return res.writeHead(303, { location: '/ok' }).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`answered ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses a loopback address and names nothing about it', async () => {
    const egress = createEgress('');
    const before = seen.length;
    const err = await egress.fetch(`http://127.0.0.1:${port}/secret`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(EgressError);
    expect((err as Error).message).toBe('address not allowed');
    expect(seen.length).toBe(before);
    await egress.close();
  });

  it('checks a name where the connection is opened', async () => {
    const egress = createEgress('');
    const before = seen.length;
    const err = await egress.fetch(`http://localhost:${port}/secret`).catch((e: Error) => e);
    expect(err).toBeInstanceOf(EgressError);
    expect((err as Error).message).toBe('address not allowed');
    expect(String(err)).not.toContain('127.0.0.1');
    expect(seen.length).toBe(before);
    await expect(egress.resolve('localhost')).rejects.toBeInstanceOf(EgressError);
    await egress.close();
  });

  it('refuses schemes other than http and https', async () => {
    const egress = createEgress('0.0.0.0/0');
    await expect(egress.fetch('file:///etc/passwd')).rejects.toBeInstanceOf(EgressError);
    await expect(egress.fetch('ftp://example.com/x')).rejects.toBeInstanceOf(EgressError);
    await egress.close();
  });

  it('checks every redirect again', async () => {
    const egress = createEgress('127.0.0.1');
    expect(await (await egress.fetch(`http://127.0.0.1:${port}/hop`, { method: 'POST', body: 'x' })).text()).toBe('answered GET /ok');
    const before = seen.length;
    await expect(egress.fetch(`http://127.0.0.1:${port}/to-other-loopback`)).rejects.toThrow('address not allowed');
    expect(seen.slice(before)).toEqual(['/to-other-loopback']);
    await egress.close();
  });

  it('allows a host name the operator lists', async () => {
    const egress = createEgress('localhost');
    expect(await (await egress.fetch(`http://localhost:${port}/named`)).text()).toBe('answered GET /named');
    await egress.close();
  });
});
