// The server under benchmark, in its own process as in production: creates a fresh tenant, listens on
// a free port and prints {url, apiKey, pid} as one JSON line. SIGUSR2 prints {statements, roundTrips, memory}: how many
// statements it has sent to the database so far, in how many round trips, for benches that report statements per operation, and
// process.memoryUsage() (where the resident memory is: V8 heap, or external such as the embedded database's).
import pino from 'pino';
import { createRapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';
import { countQueries } from './lib/count-queries.js';

// BENCH_STATEMENT_LOG=FILE appends each statement's text to FILE: what one operation sends, to read.
const counts = countQueries({ logFile: process.env.BENCH_STATEMENT_LOG });
process.on('SIGUSR2', () =>
  process.stdout.write(JSON.stringify({ statements: counts.statements, roundTrips: counts.roundTrips, memory: process.memoryUsage() }) + '\n'),
);

// Workers off unless a bench needs them (the inbox bench's outbound retries run on pg-boss); recurring jobs never fire.
const rapport = await createRapport({ log: pino({ level: 'warn' }), seedDemo: false, jobs: process.env.BENCH_JOBS === 'true', schedule: false });
// BENCH_API_KEY: serve the tenant another node already created (the scale bench runs two nodes on one database).
const apiKey =
  process.env.BENCH_API_KEY ||
  (
    await createTenant(rapport.db.pool, {
      slug: newId('bench').replace('_', '-'),
      name: 'Bench',
      admin: { email: 'bench@example.com', name: 'Bench', password: 'bench-password-1' },
    })
  ).apiKey;
const address = await rapport.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ url: address, apiKey, pid: process.pid }) + '\n');
const stop = async () => {
  await rapport.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
