/// <reference types="node" />
// Every interface key the frontend uses must exist in all three catalogs
// (lessons/i18n/catalog; `go test ./lessons/...` checks their parity).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(__dirname);
const catalogDir = join(__dirname, '..', '..', 'lessons', 'i18n', 'catalog');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|svelte)$/.test(f) && !/\.test\.ts$/.test(f) && !p.includes('testing') ? [p] : [];
  });
}

// Keys built at run time from a value.
const dynamic = [
  ...['2xx', '3xx', '4xx', '5xx'].map((c) => `ui.explain.class.${c}`),
  ...['ok', 'no', 'bad'].map((s) => `ui.explain.imap.${s}`),
  ...['queued', 'looking-up-mx', 'connecting', 'sending', 'sent', 'deferred', 'bounced', 'failed'].map((s) => `ui.queue.${s}`),
  ...['SSL', 'STARTTLS'].map((s) => `ui.connect.security.${s}`),
  'ui.connect.auth.password-cleartext',
  ...['no-wasm', 'not-found', 'not-wasm', 'network', 'crashed'].map((c) => `ui.web.error.${c}`),
];

function usedKeys(): string[] {
  const keys = new Set(dynamic);
  for (const f of files(src)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/['"`](ui\.[a-z0-9.-]+[a-z0-9])['"`]/g)) keys.add(m[1]);
  }
  return [...keys].sort();
}

describe('interface catalog', () => {
  const keys = usedKeys();

  it('finds the keys in the sources', () => {
    expect(keys.length).toBeGreaterThan(100);
  });

  for (const lang of ['en', 'de', 'pl']) {
    it(`has every ui.* key in ${lang}.json`, () => {
      const cat = JSON.parse(readFileSync(join(catalogDir, `${lang}.json`), 'utf8')) as Record<string, string>;
      expect(keys.filter((k) => !(k in cat))).toEqual([]);
    });
  }
});
