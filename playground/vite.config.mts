/**
 * Vite config of the playground (root: this folder). `brainweave` resolves to the library's browser-safe source
 * entries until the package's dist/esm exists; the page imports it exactly as a user's bundle would.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const repo = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
// SharedArrayBuffer needs a cross-origin isolated page
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './', // relative URLs: the built folder works from any static host and sub-path
  resolve: {
    alias: [
      { find: /^brainweave$/, replacement: repo('src/index.ts') },
      { find: /^brainweave\/models$/, replacement: repo('models/index.ts') },
      { find: /^brainweave\/connectors$/, replacement: repo('connectors/index.ts') },
    ],
  },
  server: { headers: isolation, fs: { allow: [repo('')] } },
  preview: { headers: isolation },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the library's compiler reads update() methods from their source text: keep them as written (no minifier)
    minify: false,
  },
});
