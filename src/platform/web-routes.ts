// Serves the built browser code: the console under /console/, the customer portal under /portal/,
// hashed assets under /assets/ and the embeddable widget at /widget.js. These are pages, not API:
// public, and hidden from /openapi.json.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEB_OUT_DIR } from './web-build.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

// The console and portal run only their own scripts and talk only to this origin.
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export function webRoutes(opts: { outDir?: string } = {}) {
  const outDir = opts.outDir ?? WEB_OUT_DIR;
  return async (app: FastifyInstance) => {
    const hidden = { schema: { hide: true }, config: { isPublic: true } } as const;

    function sendFile(reply: FastifyReply, file: string, cache: string) {
      let body: Buffer;
      try {
        body = fs.readFileSync(file);
      } catch {
        return reply.status(404).type('application/problem+json').send({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'NOT_FOUND',
          detail: 'The web app is not built; run npm start or npm run build:web',
        });
      }
      reply.header('cache-control', cache).header('x-content-type-options', 'nosniff');
      return reply.type(TYPES[path.extname(file)] ?? 'application/octet-stream').send(body);
    }

    const page = (name: 'console' | 'portal') => async (_req: unknown, reply: FastifyReply) => {
      reply.header('content-security-policy', PAGE_CSP).header('referrer-policy', 'same-origin');
      return sendFile(reply, path.join(outDir, name, 'index.html'), 'no-cache');
    };
    for (const name of ['console', 'portal'] as const) {
      app.get(`/${name}`, hidden, async (_req, reply) => reply.redirect(`/${name}/`));
      app.get(`/${name}/`, hidden, page(name));
      app.get(`/${name}/*`, hidden, page(name));
    }

    // Vite names every asset by its content hash, so a file under /assets/ never changes.
    app.get<{ Params: { file: string } }>('/assets/:file', hidden, async (req, reply) => {
      const file = req.params.file;
      if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) return reply.callNotFound();
      return sendFile(reply, path.join(outDir, 'assets', file), 'public, max-age=31536000, immutable');
    });

    // Embedded on customers' sites: any origin may load it, and it changes with each release.
    app.get('/widget.js', hidden, async (_req, reply) => {
      reply.header('access-control-allow-origin', '*');
      return sendFile(reply, path.join(outDir, 'widget.js'), 'public, max-age=300');
    });
  };
}
