/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Wails embeds frontend/dist; `maillab serve` serves the same files.
// MAILLAB_API points the dev server at a running `maillab serve` (or
// scripts/mock-server.mjs) so /api works under `npm run dev`.
const api = process.env.MAILLAB_API ?? 'http://127.0.0.1:8765';

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
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
});
