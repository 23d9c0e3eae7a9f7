/**
 * Helpers for driving the built playground in Chromium (the slow test and the benchmark): a small static
 * server on 127.0.0.1 that sends the COOP/COEP headers SharedArrayBuffer needs, and a Chromium launch that
 * stays off the network. The browser is Debian's /usr/bin/chromium (apt), never a downloaded one.
 */
import { createServer, Server } from 'http';
import { readFile, stat } from 'fs/promises';
import { extname, join, normalize, resolve, sep } from 'path';
import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import type { Browser } from 'playwright-core';

export const REPO = resolve(__dirname, '..');
export const DIST = join(REPO, 'playground', 'dist');
export const CHROMIUM = process.env.BW_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium flags: no sandbox (containers, root), nothing fetched from the network, WebGPU allowed on SwiftShader. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
  '--disable-default-apps', '--disable-domain-reliability', '--no-pings', '--metrics-recording-only',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
  '--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** Serves `root` on 127.0.0.1 (a free port); paths outside root are refused. */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const base = resolve(root);
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Builds playground/dist with the repository's Vite (as `npm run playground:build` without the type check). */
export function buildPlayground(): void {
  execFileSync(join(REPO, 'node_modules', '.bin', 'vite'), ['build', '--config', 'playground/vite.config.mts', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

export function chromiumPresent(): boolean { return existsSync(CHROMIUM); }

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
