// The one way email leaves Rapport. The platform relay (RAPPORT_SMTP_URL, from RAPPORT_MAIL_FROM)
// carries what Rapport sends on its own behalf: case notices, portal sign-in codes, crisis alerts. A
// tenant's own relay (outreach settings, an inbox email channel) carries mail sent in the tenant's
// name and is passed with each message. nodemailer is loaded on the first mail (most processes, the
// CLI among them, never send one) and one transport is kept per relay while its settings hold.
import type { Transporter } from 'nodemailer';
import type { Egress } from './egress.js';

export interface SmtpRelay {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send unless the server upgrades to TLS. */
  requireTLS?: boolean;
  /** Plain SMTP even when STARTTLS is offered: a relay on the same host or a test listener. */
  ignoreTLS?: boolean;
  user?: string | null;
  password?: string | null;
  /** Local relays often have self-signed certificates. */
  rejectUnauthorized?: boolean;
  /** The name TLS verifies the certificate against when `host` is the address it resolved to. */
  servername?: string;
}

export interface MailMessage {
  /** Defaults to the platform's From (RAPPORT_MAIL_FROM). */
  from?: string | { name: string; address: string };
  to: string | string[];
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  replyTo?: string;
}

export interface MailSent {
  messageId: string | null;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  /** Whether RAPPORT_SMTP_URL is set: without it Rapport sends no mail of its own. */
  readonly hasPlatformRelay: boolean;
  readonly from: string;
  /**
   * Sends through `relay`, or the platform relay when none is given. Throws when the relay refuses the
   * whole message; the error carries SMTP's `responseCode` (5xx: permanent, 4xx: try again later).
   */
  send(msg: MailMessage, relay?: SmtpRelay): Promise<MailSent>;
  close(): void;
}

/** smtp://user:pass@host:port, smtps://... (TLS on connect); `?tls=off` talks plain SMTP. */
export function relayFromUrl(url: string): SmtpRelay {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ignoreTLS: u.searchParams.get('tls') === 'off',
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
  };
}

const MAX_TRANSPORTS = 500;

/**
 * `egress` guards the relays a tenant names (they reach the egress guard's checks, resolved once so the
 * connection goes to the address checked); the platform relay is the operator's own setting and is used as given.
 */
export function createMailer(opts: { smtpUrl?: string; from: string; egress?: Egress }): Mailer {
  const platformRelay = opts.smtpUrl ? relayFromUrl(opts.smtpUrl) : undefined;
  const transports = new Map<string, Promise<Transporter>>();

  async function transportFor(relay: SmtpRelay): Promise<Transporter> {
    const key = JSON.stringify(relay);
    let t = transports.get(key);
    if (!t) {
      if (transports.size >= MAX_TRANSPORTS) {
        const [oldest, old] = transports.entries().next().value!;
        transports.delete(oldest);
        void old.then(
          (x) => x.close(),
          () => undefined,
        );
      }
      t = import('nodemailer').then(({ default: nodemailer }) =>
        nodemailer.createTransport({
          host: relay.host,
          port: relay.port,
          secure: relay.secure ?? false,
          requireTLS: relay.requireTLS ?? false,
          ignoreTLS: relay.ignoreTLS ?? false,
          ...(relay.user ? { auth: { user: relay.user, pass: relay.password ?? '' } } : {}),
          tls: { rejectUnauthorized: relay.rejectUnauthorized ?? true },
          ...(relay.servername ? { servername: relay.servername } : {}),
          connectionTimeout: 15_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        }),
      );
      transports.set(key, t);
    }
    return t;
  }

  return {
    hasPlatformRelay: !!platformRelay,
    from: opts.from,
    async send(msg, relay) {
      let via = relay ?? platformRelay;
      if (!via) throw new Error('no SMTP relay: set RAPPORT_SMTP_URL');
      if (relay && opts.egress) {
        const address = await opts.egress.resolve(relay.host);
        if (address !== relay.host) via = { ...relay, host: address, servername: relay.host };
      }
      const info = await (await transportFor(via)).sendMail({ ...msg, from: msg.from ?? opts.from });
      const addresses = (list: unknown[] | undefined) => (list ?? []).map((a) => (typeof a === 'string' ? a : (a as { address: string }).address));
      return { messageId: info.messageId ?? null, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    },
    close() {
      for (const t of transports.values())
        void t.then(
          (x) => x.close(),
          () => undefined,
        );
      transports.clear();
    },
  };
}
