// The console and the portal: two pages, one build, shared chunks (React, the design system, i18n).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: path.resolve(here, '../dist/web'),
    emptyOutDir: false,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: { console: path.resolve(here, 'console/index.html'), portal: path.resolve(here, 'portal/index.html') },
    },
  },
  server: { proxy: { '/v1': 'http://localhost:3000', '/widget.js': 'http://localhost:3000' } },
});
