/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { readmePage } from './src/lib/web/readme';

// Wails embeds frontend/dist; `maillab serve` serves the same files.
// MAILLAB_API points the dev server at a running `maillab serve` (or
// scripts/mock-server.mjs) so /api works under `npm run dev`.
const api = process.env.MAILLAB_API ?? 'http://127.0.0.1:8765';

// The web edition (`make web`, mode "web") builds into build/web with the
// Go side as maillab.wasm, copied with wasm_exec.js and the icons into
// MAILLAB_WEB_PUBLIC by the Makefile, and a service worker for offline use.
const version = process.env.MAILLAB_VERSION ?? 'dev';

const catalogDir = fileURLToPath(new URL('../lessons/i18n/catalog/', import.meta.url));

// The loading screen speaks before the Go side (and its catalog) is there:
// the ui.web.* keys of the three catalogs are built in as a small module.
function webStrings(): Plugin {
  const id = 'virtual:maillab-web-strings';
  return {
    name: 'maillab-web-strings',
    resolveId: (s) => (s === id ? '\0' + id : undefined),
    load(s) {
      if (s !== '\0' + id) return;
      const out: Record<string, Record<string, string>> = {};
      for (const lang of ['en', 'de', 'pl']) {
        const file = catalogDir + lang + '.json';
        this.addWatchFile(file);
        const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
        out[lang] = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('ui.web.')));
      }
      return `export default ${JSON.stringify(out)};`;
    },
  };
}

// The README as readme.html beside the web edition: the page the "downloads
// and setup" link opens, offline too.
function readmeHtml(): Plugin {
  const file = fileURLToPath(new URL('../README.md', import.meta.url));
  return {
    name: 'maillab-readme-html',
    generateBundle() {
      this.addWatchFile(file);
      this.emitFile({ type: 'asset', fileName: 'readme.html', source: readmePage(readFileSync(file, 'utf8')) });
    },
  };
}

// Outside the web edition there is no service worker: its registration is a no-op.
function noServiceWorker(): Plugin {
  const id = 'virtual:pwa-register';
  return {
    name: 'maillab-no-service-worker',
    resolveId: (s) => (s === id ? '\0' + id : undefined),
    load: (s) => (s === '\0' + id ? 'export function registerSW() { return async () => {}; }' : undefined),
  };
}

function pwa(): Plugin[] {
  return VitePWA({
    registerType: 'prompt',
    injectRegister: false,
    includeManifestIcons: false, // the glob below has them already
    manifest: {
      name: 'Maillab',
      short_name: 'Maillab',
      description: 'Watch an email travel: real SMTP, POP3 and IMAP, explained line by line.',
      start_url: './',
      scope: './',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#1f5fa8',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      // A version in the cache name: a new build is a new cache.
      cacheId: `maillab-${version}`,
      // Not maillab.wasm*: the worker keeps the module in a cache of its own
      // (src/lib/web/wasmload.ts), so a first visit downloads it once.
      // readme.html is the downloads page: of no use without the network.
      globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
      globIgnores: ['**/readme.html'],
      navigateFallbackDenylist: [/readme\.html$/],
      // Vite's hashed file names are their own revision: no cache-busting
      // query, so the HTTP cache may answer (a first visit fetches them once).
      dontCacheBustURLsMatching: /^assets\/.+-[\w-]{8}\./,
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
    },
  });
}

export default defineConfig(({ mode }) => {
  const web = mode === 'web';
  return {
    plugins: [svelte(), svelteTesting(), webStrings(), ...(web ? [readmeHtml(), ...pwa()] : [noServiceWorker()])],
    base: './',
    publicDir: web ? (process.env.MAILLAB_WEB_PUBLIC ?? '../build/web-public') : 'public',
    build: { outDir: web ? '../build/web' : 'dist', emptyOutDir: true, target: 'es2022' },
    worker: { format: 'iife' },
    server: { proxy: { '/api': { target: api, changeOrigin: true } } },
    // Svelte 5 components must resolve to their browser build under vitest.
    resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.ts'],
      setupFiles: ['src/test-setup.ts'],
      // Component tests play whole runs through the fake bridge: generous, so a
      // loaded machine makes them slow, never red.
      testTimeout: 30_000,
    },
  };
});
