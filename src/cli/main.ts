// The `rapport` command: start | build-web | migrate | db citus-plan | import customers|events|mentions FILE | export customer ID
// | text sentiment|analyze.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { createRapport, type Rapport } from '../app.js';
import { createSystemClock } from '../platform/clock.js';
import { createTenant, findTenantBySlug, insertUser } from '../platform/tenancy.js';
import { hashPassword } from '../platform/auth.js';
import { randomToken } from '../platform/ids.js';
import { seedDemo } from '../demo/seed-demo.js';
import { importFile } from './import-file.js';
import { buildWeb, buildWebInChild, isWebBuildFresh } from '../platform/web-build.js';
import { detectFormat } from './read-rows.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db.js';
import { migrateDatabase } from '../platform/migrate.js';
import { planCitus } from '../platform/citus-plan.js';

const USAGE = `usage:
  rapport start                                   serve console, portal and API (PORT, default 3000)
  rapport build-web                               build the console, portal and widget into dist/web
  rapport migrate                                 apply database migrations and exit
  rapport db citus-plan                           print the SQL that turns the migrated database into a Citus cluster
  rapport import customers|events|mentions FILE [--tenant SLUG] [--format csv|ndjson] [--rejects FILE]
  rapport export customer ID [--tenant SLUG]      print everything about one customer as JSON
  rapport text sentiment                          one text per stdin line -> {"label","score","language"} per line
  rapport text analyze                            one text per stdin line -> language, sentiment, topics, keywords per line
Without DATABASE_URL an embedded PostgreSQL keeps its data in ./data (RAPPORT_DATA_DIR).`;

const DEMO_SLUG = 'demo';

interface DemoLogins {
  admin: string;
  manager: string;
  agent: string;
  apiKey: string;
  seconds: number;
}

/** Creates the demo tenant on the first start; its logins are shown once, after the server listens. */
async function ensureDemo(r: Rapport): Promise<DemoLogins | undefined> {
  if (await findTenantBySlug(r.db.pool, DEMO_SLUG)) return undefined;
  const password = process.env.RAPPORT_DEMO_PASSWORD || randomToken(12);
  // Elapsed time for the message below: the monotonic clock, not a decision about "now".
  const t0 = performance.now();
  const { tenantId, apiKey } = await createTenant(r.db.pool, {
    slug: DEMO_SLUG,
    name: 'Demo Air & Retail',
    admin: { email: 'admin@demo.rapport.dev', name: 'Demo Admin', password },
    apiKeySecret: r.config.demoApiKey,
    settings: { currency: 'CNY' },
  });
  // Each person their own password: a shared one would let the agent sign in as the manager.
  const managerPassword = randomToken(12);
  const agentPassword = randomToken(12);
  await insertUser(
    r.db.pool,
    tenantId,
    { email: 'manager@demo.rapport.dev', name: '李经理 (Manager)', role: 'manager', locale: 'zh-CN' },
    await hashPassword(managerPassword),
  );
  await insertUser(r.db.pool, tenantId, { email: 'agent@demo.rapport.dev', name: 'Agent Chen', role: 'agent' }, await hashPassword(agentPassword));
  if (r.config.seedDemo) {
    console.log("Creating the demo tenant's data: customers, events, conversations, surveys, cases, mentions, articles, campaigns...");
    await seedDemo(r, tenantId, { log: (m) => console.log(m) });
  }
  return {
    admin: password,
    manager: managerPassword,
    agent: agentPassword,
    apiKey: r.config.demoApiKey ? '(from RAPPORT_DEMO_API_KEY)' : apiKey,
    seconds: (performance.now() - t0) / 1000,
  };
}

function printWelcome(url: string, logins: DemoLogins | undefined, where: string): void {
  const lines = [
    '',
    `Rapport is running on ${where}.`,
    `  console:      ${url}/console/`,
    `  portal:       ${url}/portal/${DEMO_SLUG}/`,
    `  help centre:  ${url}/help/${DEMO_SLUG}`,
    `  API docs:     ${url}/docs`,
  ];
  if (logins) {
    lines.push(
      '',
      `Demo tenant "${DEMO_SLUG}" created in ${logins.seconds.toFixed(1)} s. Its logins are shown once, keep them:`,
      `  admin:    admin@demo.rapport.dev / ${logins.admin}`,
      `  manager:  manager@demo.rapport.dev / ${logins.manager}`,
      `  agent:    agent@demo.rapport.dev / ${logins.agent}`,
      `  API key:  ${logins.apiKey}   (API clients send Authorization: Bearer <api key>)`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

async function tenantIdOf(r: Rapport, slug: string): Promise<string> {
  const t = await findTenantBySlug(r.db.pool, slug);
  if (!t) throw new UsageError(`no tenant with slug "${slug}"`);
  return t.tenantId;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string', default: DEMO_SLUG },
      format: { type: 'string' },
      rejects: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  const [command, what, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }

  switch (command) {
    case 'build-web': {
      await buildWeb();
      return 0;
    }
    case 'start': {
      // Vite's build holds a few hundred MB the server would keep for its life: a first start builds in a
      // process of its own, which hands all of it back when it exits.
      if (!isWebBuildFresh()) {
        await buildWebInChild();
        console.log('Built the console, portal and widget into dist/web');
      }
      const r = await createRapport({ clock: createSystemClock() });
      const logins = await ensureDemo(r);
      const address = await r.app.listen({ port: r.config.port, host: r.config.host });
      const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
      printWelcome(url, logins, r.db.isEmbedded ? `the embedded database in ${r.config.dataDir}` : 'PostgreSQL at DATABASE_URL');
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        r.log.info({ signal }, 'shutting down');
        await r.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      return -1; // keep running
    }
    case 'migrate': {
      const r = await createRapport({ jobs: false });
      console.log(`migrations applied to ${r.db.isEmbedded ? 'the embedded database' : 'DATABASE_URL'}`);
      await r.close();
      return 0;
    }
    case 'db': {
      if (what !== 'citus-plan') throw new UsageError('db needs: citus-plan');
      // The plan is read from the catalogue of a database migrated to this version: no server, no jobs.
      const config = loadConfig();
      const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
      try {
        await migrateDatabase(db.pool);
        const plan = await planCitus(db.pool);
        process.stdout.write(plan.sql);
        for (const p of plan.problems) console.error(`rapport: not distributable as is: ${p}`);
        return plan.problems.length ? 1 : 0;
      } finally {
        await db.close();
      }
    }
    case 'import': {
      if ((what !== 'customers' && what !== 'events' && what !== 'mentions') || !arg) throw new UsageError('import needs customers|events|mentions and a FILE');
      const r = await createRapport({ jobs: false, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const tenantId = await tenantIdOf(r, values.tenant!);
        const format = detectFormat(arg, values.format);
        const rejectsFile = values.rejects ?? `${arg}.rejects.ndjson`;
        const s = await importFile(r, tenantId, what, path.resolve(arg), { format, rejectsFile, quiet: values.quiet });
        console.log(
          JSON.stringify({
            rows: s.rows,
            accepted: s.accepted,
            duplicates: s.duplicates,
            rejected: s.rejected,
            ...(s.rejected ? { rejects_file: s.rejectsFile } : {}),
          }),
        );
        return 0;
      } finally {
        await r.close();
      }
    }
    case 'export': {
      if (what !== 'customer' || !arg) throw new UsageError('export needs: customer ID');
      const r = await createRapport({ jobs: false, logLevel: process.env.LOG_LEVEL ?? 'warn' });
      try {
        const tenantId = await tenantIdOf(r, values.tenant!);
        const found = await r.customers.findCustomerId(tenantId, arg);
        const doc = found && found.status !== 'erased' ? await r.customers.exportCustomer(tenantId, found.id, { type: 'system', id: 'cli-export' }) : undefined;
        if (!doc) {
          console.error(`no customer ${arg} in tenant ${values.tenant}`);
          return 1;
        }
        process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        return 0;
      } finally {
        await r.close();
      }
    }
    case 'text': {
      if (what !== 'sentiment' && what !== 'analyze') throw new UsageError('text needs: sentiment|analyze');
      // No database: the text library is pure, so batch analysis starts instantly.
      const { streamSentiment, streamAnalysis } = await import('../modules/text/index.js');
      await (what === 'analyze' ? streamAnalysis : streamSentiment)(process.stdin, process.stdout);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`rapport: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`rapport: ${(err as Error).message}`);
    process.exit(1);
  },
);
