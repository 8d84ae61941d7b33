// The server under benchmark, in its own process as in production: creates a fresh tenant, listens on
// a free port and prints {url, apiKey, pid} as one JSON line.
import pino from 'pino';
import { createRapport } from '../src/app.js';
import { createTenant } from '../src/platform/tenancy.js';
import { newId } from '../src/platform/ids.js';

const rapport = await createRapport({ log: pino({ level: 'warn' }), seedDemo: false, jobs: false });
const slug = newId('bench').replace('_', '-');
const { apiKey } = await createTenant(rapport.db.pool, { slug, name: 'Bench', admin: { email: 'bench@example.com', name: 'Bench', password: 'bench-password-1' } });
const address = await rapport.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ url: address, apiKey, pid: process.pid }) + '\n');
const stop = async () => { await rapport.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
