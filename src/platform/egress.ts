// The egress guard: every request the server makes on someone's say-so (a feed URL, a channel's
// outbound URL or API base, an alert webhook, a tenant's SMTP host) leaves through here. Only http(s),
// and only to public unicast addresses: loopback, private, link-local (169.254.169.254, the cloud
// metadata service), unique-local, carrier-grade NAT (100.100.100.200, Alibaba's metadata) and every
// other special range are refused unless the operator allows them (RAPPORT_EGRESS_ALLOW). The address is
// checked where the socket is opened (the resolver handed to the connection), so a name that resolves
// to a public address when checked and a private one when used (DNS rebinding) gains nothing, and each
// redirect is followed by hand through the same check.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/** Refused by the guard. The message never names the address a host resolved to or what answered. */
export class EgressError extends Error {
  readonly code = 'EGRESS_REFUSED';
  override name = 'EgressError';
  constructor(message = 'address not allowed') {
    super(message);
  }
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface EgressPolicy {
  ranges: Range[];
  /** Host names (lower case) the operator lets resolve to any address; `*.corp.example` covers subdomains. */
  hosts: string[];
}

/**
 * RAPPORT_EGRESS_ALLOW: CIDRs, single addresses and host names separated by commas or spaces, e.g.
 * `10.0.0.0/8, fd00::/8, smtp.internal, *.corp.example`. Throws on an entry that is none of those.
 */
export function parseEgressAllow(value: string | readonly string[] | undefined): EgressPolicy {
  const entries = (typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])]).map((e) => e.trim()).filter(Boolean);
  const policy: EgressPolicy = { ranges: [], hosts: [] };
  for (const e of entries) {
    if (e.includes('/')) {
      try {
        policy.ranges.push(ipaddr.parseCIDR(e));
      } catch {
        throw new Error(`RAPPORT_EGRESS_ALLOW: "${e}" is not a CIDR`);
      }
    } else if (ipaddr.isValid(e.replace(/^\[|\]$/g, ''))) {
      const a = ipaddr.parse(e.replace(/^\[|\]$/g, ''));
      policy.ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(e)) {
      policy.hosts.push(e.toLowerCase());
    } else {
      throw new Error(`RAPPORT_EGRESS_ALLOW: "${e}" is neither a CIDR, an address nor a host name`);
    }
  }
  return policy;
}

function isHostAllowed(policy: EgressPolicy, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return policy.hosts.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p));
}

/** Whether the server may open a connection to `address` (a literal IPv4 or IPv6 address). */
export function isAddressAllowed(policy: EgressPolicy, address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let a = ipaddr.parse(address);
  // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  for (const [net, bits] of policy.ranges) {
    if (net.kind() === a.kind() && a.match(net, bits)) return true;
  }
  // Only ordinary public unicast: ipaddr.js names every special-purpose block (RFC 6890 and later) otherwise.
  return a.range() === 'unicast';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A resolver for net/tls `lookup`: resolves as usual and refuses the name unless every address is allowed. */
export function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', undefined);
      const list = addresses as LookupAddress[];
      if (!isHostAllowed(policy, hostname) && (!list.length || !list.every((a) => isAddressAllowed(policy, a.address)))) {
        return callback(new EgressError(), '', undefined);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** A URL the guard will try: http(s), and a literal address only when allowed (names are checked at connect). */
function checkUrl(policy: EgressPolicy, url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressError('only http and https URLs are allowed');
  if (url.username || url.password) throw new EgressError('URLs with credentials are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isAddressAllowed(policy, host)) throw new EgressError();
}

export interface EgressRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Redirects followed, each through the guard; 0 answers the 3xx itself. Default 5. */
  maxRedirects?: number;
}

export interface Egress {
  readonly policy: EgressPolicy;
  /** fetch() through the guard. Refusals throw EgressError; other network failures a generic Error. */
  fetch(url: string | URL, init?: EgressRequestInit): Promise<Response>;
  /**
   * The address to connect to for a host that is not spoken to over HTTP (SMTP): resolved and checked
   * once, so the caller connects to exactly what was checked (TLS still verifies the certificate
   * against the name when given it as servername).
   */
  resolve(host: string): Promise<string>;
  close(): Promise<void>;
}

/** Network failures worded without what answered: a refusal, a reset and a timeout read alike to a prober. */
function failure(err: unknown): Error {
  for (let e = err as { cause?: unknown; name?: string } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e instanceof EgressError) return new EgressError(e.message);
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return new Error('the request timed out', { cause: e });
  }
  // The cause stays attached (never in the message) for callers that name it to an operator (send-http.ts).
  return new Error('the request could not be completed', { cause: err });
}

export function createEgress(allow?: string | readonly string[] | EgressPolicy): Egress {
  const policy = allow && typeof allow === 'object' && 'ranges' in allow ? allow : parseEgressAllow(allow as string | readonly string[] | undefined);
  const lookup = guardedLookup(policy);
  const agent = new Agent({ connect: { lookup: lookup as never } });

  return {
    policy,
    async fetch(input, init = {}) {
      let url = new URL(String(input));
      let method = (init.method ?? 'GET').toUpperCase();
      let body = init.body;
      const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      for (let hop = 0; ; hop++) {
        checkUrl(policy, url);
        let res: Response;
        try {
          res = (await undiciFetch(url, {
            method,
            headers,
            body,
            signal: init.signal,
            redirect: 'manual',
            dispatcher: agent,
          } as UndiciRequestInit)) as unknown as Response;
        } catch (err) {
          throw failure(err);
        }
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || res.status === 304 || !location || hop >= (init.maxRedirects ?? 5)) return res;
        await res.body?.cancel().catch(() => undefined);
        const next = new URL(location, url);
        // RFC 9110 15.4: 303 (and, as browsers do, 301/302 after a POST) continue as GET without the body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        // Credentials for one host are not handed to another.
        if (next.origin !== url.origin) delete headers.authorization;
        url = next;
      }
    },
    async resolve(host) {
      const bare = host.replace(/^\[|\]$/g, '');
      if (ipaddr.isValid(bare)) {
        if (!isAddressAllowed(policy, bare)) throw new EgressError();
        return bare;
      }
      return new Promise((resolve, reject) => {
        lookup(bare, {}, (err, address) =>
          err ? reject(err instanceof EgressError ? err : new Error('the host could not be resolved')) : resolve(address as string),
        );
      });
    },
    close: () => agent.close(),
  };
}
