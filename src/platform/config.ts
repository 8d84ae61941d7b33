// Reads configuration from the environment once; every other file receives a Config value.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  defaultPhoneRegion: string;
  demoApiKey: string | undefined;
  seedDemo: boolean;
  cookieSecure: boolean;
  jobs: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (login throttling uses it). */
  trustProxy: boolean;
  /** Key that encrypts stored provider credentials (SMTP passwords); without it, a key file in dataDir. */
  secretKey: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.RAPPORT_DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    defaultPhoneRegion: env.RAPPORT_DEFAULT_PHONE_REGION ?? 'CN',
    demoApiKey: env.RAPPORT_DEMO_API_KEY || undefined,
    seedDemo: env.RAPPORT_SEED_DEMO !== 'false',
    cookieSecure: env.RAPPORT_COOKIE_SECURE === 'true',
    jobs: env.RAPPORT_JOBS !== 'false',
    trustProxy: env.RAPPORT_TRUST_PROXY === 'true',
    secretKey: env.RAPPORT_SECRET_KEY || undefined,
  };
}
