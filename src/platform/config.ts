// Reads configuration from the environment once; every other file receives a Config value.
import path from 'node:path';
import { parseRetentionMonths } from './partitions.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** A read replica (DATABASE_READ_URL) for dashboards, exports and list screens; unset, they read the primary. */
  databaseReadUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  defaultPhoneRegion: string;
  demoApiKey: string | undefined;
  seedDemo: boolean;
  /** Secure cookies (RAPPORT_COOKIE_SECURE); unset follows the public URL: on when it is https. */
  cookieSecure: boolean | undefined;
  jobs: boolean;
  /** Whether this node's workers fire the recurring (cron) jobs: hourly roll-ups, weekly digest, nightly
   * sweeps. On by default for `rapport start`; apps built for tests turn it off so a cron never fires
   * mid-test, and a fleet may leave it on for a few worker nodes only. Jobs sent explicitly still run. */
  schedule: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (login throttling uses it). */
  trustProxy: boolean;
  /** Where customers reach this server: survey links are built on it. */
  publicUrl: string;
  /** Outgoing mail the platform sends itself (case notices, portal sign-in codes): smtp://user:pass@host:port
   * or smtps://...; unset sends nothing. */
  smtpUrl: string | undefined;
  /** From address of that email. */
  mailFrom: string;
  /** Local development only: write portal sign-in codes to the log when no SMTP server is configured. */
  portalDevCodes: boolean;
  /** Installation key that seals stored provider secrets; every node must share it. */
  secretKey: string | undefined;
  /** Port of the inbound SMTP listener; none when unset. */
  smtpPort: number | undefined;
  /** How long the outbox retries a message whose failures are worth retrying. */
  outboxRetryHours: number;
  /** Private addresses and host names the server may still reach (RAPPORT_EGRESS_ALLOW: CIDRs, addresses,
   * host names); everything else non-public is refused by the egress guard (platform/egress.ts). */
  egressAllow: string;
  /** When set, /metrics answers only to `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Months kept of each table partitioned by month (RAPPORT_RETENTION_MONTHS, `customer_events=36,
   * listening_mentions=24`); older months are dropped whole. A table not named keeps everything. */
  retentionMonths: Record<string, number>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    defaultPhoneRegion: env.RAPPORT_DEFAULT_PHONE_REGION ?? 'CN',
    demoApiKey: env.RAPPORT_DEMO_API_KEY || undefined,
    seedDemo: env.RAPPORT_SEED_DEMO !== 'false',
    cookieSecure: env.RAPPORT_COOKIE_SECURE ? env.RAPPORT_COOKIE_SECURE === 'true' : undefined,
    jobs: env.RAPPORT_JOBS !== 'false',
    schedule: env.RAPPORT_SCHEDULE !== 'false',
    trustProxy: env.RAPPORT_TRUST_PROXY === 'true',
    publicUrl: (env.RAPPORT_PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, ''),
    smtpUrl: env.RAPPORT_SMTP_URL || undefined,
    mailFrom: env.RAPPORT_MAIL_FROM ?? 'Rapport <no-reply@localhost>',
    portalDevCodes: env.RAPPORT_PORTAL_DEV_CODES === 'true',
    secretKey: env.RAPPORT_SECRET_KEY || undefined,
    smtpPort: env.RAPPORT_SMTP_PORT ? Number(env.RAPPORT_SMTP_PORT) : undefined,
    outboxRetryHours: Number(env.RAPPORT_OUTBOX_RETRY_HOURS ?? 24) || 24,
    egressAllow: env.RAPPORT_EGRESS_ALLOW ?? '',
    metricsToken: env.RAPPORT_METRICS_TOKEN || undefined,
    retentionMonths: parseRetentionMonths(env.RAPPORT_RETENTION_MONTHS),
  };
}

/** Whether cookies carry Secure: as the operator set it, else whenever the public URL is https. */
export function isCookieSecure(config: Pick<Config, 'cookieSecure' | 'publicUrl'>): boolean {
  return config.cookieSecure ?? /^https:/i.test(config.publicUrl);
}
