// The widget: one self-contained script (no React, no shared chunks) that customers' pages load with a
// single <script> tag; everything it draws lives in a shadow root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  publicDir: false,
  build: {
    outDir: path.resolve(here, '../dist/web'),
    emptyOutDir: false,
    target: 'es2019',
    sourcemap: false,
    lib: { entry: path.resolve(here, 'widget/main.ts'), formats: ['iife'], name: 'RapportWidget', fileName: () => 'widget.js' },
  },
});
