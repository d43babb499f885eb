// @vitest-environment node
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../bridge/protocol';
import { LoadError, loadWasm, type LoadDeps } from './wasmload';

// The smallest valid module: the magic number and version 1.
const module = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const base = 'https://school.example/maillab/';

type Answer = { status?: number; type?: string; body: Uint8Array | string };

/** site answers by file name and records what was asked. */
function site(files: Record<string, Answer>) {
  const asked: string[] = [];
  const fetch = async (url: string) => {
    const u = new URL(url);
    asked.push(u.pathname.replace('/maillab/', '') + u.search);
    const f = files[u.pathname.replace('/maillab/', '')];
    if (!f) return new Response('<h1>404</h1>', { status: 404, headers: { 'Content-Type': 'text/html' } });
    const body = typeof f.body === 'string' ? new TextEncoder().encode(f.body) : f.body;
    return new Response(body as BodyInit, {
      status: f.status ?? 200,
      headers: { 'Content-Type': f.type ?? 'application/octet-stream', 'Content-Length': String(body.byteLength) },
    });
  };
  return { fetch, asked };
}

/** a Cache API in memory, enough for the loader */
function memoryCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const caches = {
    async open(name: string) {
      if (!stores.has(name)) stores.set(name, new Map());
      const m = stores.get(name)!;
      return {
        match: async (u: string) => m.get(u)?.clone(),
        put: async (u: string, r: Response) => void m.set(u, new Response(await r.arrayBuffer(), { headers: r.headers })),
        delete: async (u: string) => m.delete(u),
      } as unknown as Cache;
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  } as unknown as CacheStorage;
  return { caches, stores };
}

function deps(fetch: LoadDeps['fetch'], more: Partial<LoadDeps> = {}): LoadDeps {
  return { fetch, DecompressionStream, WebAssembly, ...more };
}

describe('loadWasm', () => {
  it('fetches the .gz, unpacks it, reports the bytes and keeps it for the next visit', async () => {
    const gz = gzipSync(module);
    const s = site({ 'maillab.wasm.gz': { type: 'application/gzip', body: gz } });
    const { caches, stores } = memoryCaches();
    stores.set('maillab-wasm-old', new Map());
    const progress: LoadProgress[] = [];
    const inst = await loadWasm(base, {}, (p) => progress.push(p), deps(s.fetch, { caches, version: 'abc' }));
    expect(inst).toBeInstanceOf(WebAssembly.Instance);
    expect(s.asked).toEqual(['maillab.wasm.gz?v=abc']);
    expect(progress.at(-1)).toEqual({ loaded: gz.byteLength, total: gz.byteLength });
    expect([...stores.keys()]).toEqual(['maillab-wasm-abc']); // the older build's copy is gone

    await new Promise((r) => setTimeout(r, 10)); // the copy is written beside the load
    const again = await loadWasm(base, {}, () => {}, deps(s.fetch, { caches, version: 'abc' }));
    expect(again).toBeInstanceOf(WebAssembly.Instance);
    expect(s.asked).toHaveLength(1); // from the cache, not the network
  });

  it('takes a .gz the server already unpacked (Content-Encoding)', async () => {
    const s = site({ 'maillab.wasm.gz': { type: 'application/wasm', body: module } });
    await expect(loadWasm(base, {}, () => {}, deps(s.fetch))).resolves.toBeInstanceOf(WebAssembly.Instance);
  });

  it('falls back to maillab.wasm, compiled after the download when the MIME type is wrong', async () => {
    const s = site({ 'maillab.wasm': { type: 'application/octet-stream', body: module } });
    let streamed = false;
    const wasm = { ...WebAssembly, instantiateStreaming: async () => ((streamed = true), Promise.reject(new Error('no'))) } as typeof WebAssembly;
    await expect(loadWasm(base, {}, () => {}, deps(s.fetch, { WebAssembly: wasm }))).resolves.toBeInstanceOf(WebAssembly.Instance);
    expect(s.asked).toEqual(['maillab.wasm.gz', 'maillab.wasm']);
    expect(streamed).toBe(false);
  });

  it('streams maillab.wasm where there is no DecompressionStream and the type is right', async () => {
    const s = site({ 'maillab.wasm': { type: 'application/wasm', body: module } });
    let streamed = false;
    const wasm = {
      ...WebAssembly,
      instantiate: WebAssembly.instantiate,
      instantiateStreaming: async (r: Response | PromiseLike<Response>, i?: WebAssembly.Imports) => {
        streamed = true;
        return WebAssembly.instantiate(await (await r).arrayBuffer(), i);
      },
    } as typeof WebAssembly;
    await loadWasm(base, {}, () => {}, deps(s.fetch, { DecompressionStream: undefined, WebAssembly: wasm }));
    expect(s.asked).toEqual(['maillab.wasm']);
    expect(streamed).toBe(true);
  });

  const failures: { name: string; files: Record<string, Answer>; more?: Partial<LoadDeps>; code: string; detail?: RegExp }[] = [
    { name: 'no WebAssembly', files: {}, more: { WebAssembly: undefined }, code: 'no-wasm' },
    { name: 'neither file there', files: {}, code: 'not-found', detail: /^404 \/maillab\/maillab\.wasm/ },
    {
      name: 'an HTML page instead',
      files: { 'maillab.wasm': { type: 'text/html; charset=utf-8', body: '<!doctype html><h1>Welcome</h1>' } },
      code: 'not-wasm',
      detail: /^text\/html$/,
    },
    { name: 'an empty file', files: { 'maillab.wasm.gz': { type: 'application/gzip', body: '' } }, code: 'not-wasm' },
  ];
  for (const f of failures) {
    it(`says why: ${f.name}`, async () => {
      const s = site(f.files);
      const err = await loadWasm(base, {}, () => {}, deps(s.fetch, f.more)).catch((e) => e);
      expect(err).toBeInstanceOf(LoadError);
      expect((err as LoadError).code).toBe(f.code);
      if (f.detail) expect((err as LoadError).detail).toMatch(f.detail);
    });
  }

  it('says why: the network is gone', async () => {
    const err = await loadWasm(base, {}, () => {}, deps(async () => Promise.reject(new TypeError('Failed to fetch')))).catch((e) => e);
    expect(err).toMatchObject({ code: 'network', detail: 'Failed to fetch' });
  });

  it('does not keep an error page', async () => {
    const s = site({ 'maillab.wasm.gz': { type: 'text/html', body: '<html>' } });
    const { caches, stores } = memoryCaches();
    await loadWasm(base, {}, () => {}, deps(s.fetch, { caches, version: 'v1' })).catch(() => {});
    await new Promise((r) => setTimeout(r, 10));
    expect(stores.get('maillab-wasm-v1')?.size ?? 0).toBe(0);
  });
});
