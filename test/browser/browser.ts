// Debian's Chromium driven by playwright-core: never a downloaded browser, the flags that keep it off
// the network (no sync, updates or QUIC), and a fresh profile: Playwright launches Chromium with a new
// temporary --user-data-dir, and every journey gets its own context (own cookies and storage).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

export const CHROMIUM = process.env.RAPPORT_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const SCREENSHOT_DIR = path.resolve('test-results/screens');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function newContext(
  browser: Browser,
  opts: { viewport?: { width: number; height: number }; locale?: string; isMobile?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    locale: opts.locale ?? 'en-US',
    isMobile: opts.isMobile,
    hasTouch: opts.isMobile,
  });
  const pending = new Map<Request, number>();
  context.on('request', (req) => pending.set(req, Date.now()));
  context.on('requestfinished', (req) => pending.delete(req));
  context.on('requestfailed', (req) => pending.delete(req));
  unanswered.set(context, pending);
  return context;
}

const unanswered = new WeakMap<BrowserContext, Map<Request, number>>();

/** The requests a context's pages sent that have no answer yet, with how long each has waited: for a failure's message. */
export function unansweredRequests(context: BrowserContext): string[] {
  const now = Date.now();
  return [...(unanswered.get(context) ?? [])].map(([req, at]) => `${req.method()} ${new URL(req.url()).pathname} (${now - at} ms)`);
}

/**
 * A customer's own web page on another origin than Rapport's (as the widget meets it in the wild),
 * served on a free loopback port; `url` is its address (with `pathname`), `close` stops it.
 */
export async function serveSitePage(html: string, pathname = '/'): Promise<{ url: string; close(): void }> {
  const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(site.address() as AddressInfo).port}${pathname}`, close: () => site.close() };
}
