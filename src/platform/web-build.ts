// Builds the browser code (console, portal, widget) with Vite into dist/web, once: the build records a
// hash of its sources, and `ensureWebBuild` rebuilds only when the sources changed since.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_SRC_DIR = path.join(ROOT_DIR, 'web');
export const WEB_OUT_DIR = path.join(ROOT_DIR, 'dist', 'web');
const STAMP = path.join(WEB_OUT_DIR, '.source-hash');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** A hash of every web source file and of the dependency versions they are built with. */
export function webSourceHash(): string {
  const h = createHash('sha256');
  // The build recipe counts too: builds stamped before production mode was forced are made again.
  h.update('recipe: production build\0');
  for (const f of [...listFiles(WEB_SRC_DIR), path.join(ROOT_DIR, 'package-lock.json')]) {
    h.update(path.relative(ROOT_DIR, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

export function isWebBuildFresh(): boolean {
  try {
    return fs.readFileSync(STAMP, 'utf8') === webSourceHash() && fs.existsSync(path.join(WEB_OUT_DIR, 'widget.js'));
  } catch {
    return false;
  }
}

export async function buildWeb(opts: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  const hash = webSourceHash();
  const logLevel = opts.quiet ? ('warn' as const) : ('info' as const);
  fs.rmSync(WEB_OUT_DIR, { recursive: true, force: true });
  // Vite keeps a NODE_ENV it finds set, and React then bundles its development build (three times the
  // size, with dev-only checks). Under vitest NODE_ENV is "test": a build made by the test run was
  // served, and measured, as if it were the production one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(WEB_SRC_DIR, 'vite.config.ts'), logLevel, mode: 'production' });
    await build({ configFile: path.join(WEB_SRC_DIR, 'vite.widget.config.ts'), logLevel, mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  fs.writeFileSync(STAMP, hash);
}

/**
 * Builds in a child process (`rapport build-web`), so the build's memory leaves with it instead of
 * staying in the caller's heap; its output goes to the caller's terminal.
 */
export async function buildWebInChild(): Promise<void> {
  const main = path.join(ROOT_DIR, 'src', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, 'build-web'], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building the console, portal and widget failed (exit code ${code})`);
}

/** Builds when the output is missing or older than the sources; returns whether it built. */
export async function ensureWebBuild(opts: { quiet?: boolean } = {}): Promise<boolean> {
  if (isWebBuildFresh()) return false;
  await buildWeb(opts);
  return true;
}
