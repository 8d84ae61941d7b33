#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a runtime dependency), so the installed `rapport` command and
// `npm run cli` behave the same.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from './node-flags.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = import.meta.resolve('tsx');
// The server gets its Node flags (node-flags.js); other commands run with Node's defaults.
const flags = process.argv[2] === 'start' ? serverNodeFlags() : [];
const child = spawn(process.execPath, [...flags, '--import', tsx, path.join(here, '..', 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
