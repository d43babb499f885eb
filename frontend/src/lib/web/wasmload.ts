// Fetching and starting maillab.wasm inside the worker, with progress.
//
// Where the browser can decompress (DecompressionStream), the gzip copy
// maillab.wasm.gz is fetched and unpacked in the worker: about a quarter of
// the bytes, from any static server, however it is configured. Otherwise
// maillab.wasm itself, streamed into the compiler when the server sends
// application/wasm, read whole and compiled when it does not. A body that
// is no WebAssembly (an HTML error page) gets a clear error, not a crash.
//
// The fetched file is kept in a cache named after the module's hash
// (maillab-wasm-<hash>): a reload, online or not, starts from there, and a
// new build is a new name. The service worker does not precache the
// module: it would download the biggest file a second time on a first visit.

import type { LoadErrorCode, LoadProgress } from '../bridge/protocol';

export class LoadError extends Error {
  constructor(
    readonly code: LoadErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface LoadDeps {
  fetch: (url: string) => Promise<Response>;
  /** where the module is kept between visits; absent where there is no Cache API */
  caches?: CacheStorage;
  /** the module's content hash (the build sets it): the cache's and the URL's version */
  version?: string;
  /** absent where the browser has no streams decompression */
  DecompressionStream?: typeof DecompressionStream;
  WebAssembly?: typeof WebAssembly;
}

const wasmMagic = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const gzipMagic = [0x1f, 0x8b];

const startsWith = (b: Uint8Array, magic: number[]) => magic.every((x, i) => b[i] === x);

/**
 * loadWasm fetches the module below base and instantiates it with imports,
 * calling onProgress as bytes arrive. It throws LoadError.
 */
export async function loadWasm(
  base: string,
  imports: WebAssembly.Imports,
  onProgress: (p: LoadProgress) => void,
  d: LoadDeps,
): Promise<WebAssembly.Instance> {
  const wasm = d.WebAssembly;
  if (!wasm || typeof wasm.instantiate !== 'function') throw new LoadError('no-wasm', '');
  const gz = !!d.DecompressionStream;
  const cache = await openCache(d);
  let url = moduleURL(base, gz ? 'maillab.wasm.gz' : 'maillab.wasm', d.version);
  let { res, kept } = await fetchKept(d, cache, url);
  let packed = gz;
  if (!res.ok && gz) {
    url = moduleURL(base, 'maillab.wasm', d.version); // a site copied without the .gz
    ({ res, kept } = await fetchKept(d, cache, url));
    packed = false;
  }
  if (!res.ok || !res.body) throw new LoadError('not-found', `${res.status} ${new URL(url).pathname}`);
  const type = (res.headers.get('Content-Type') ?? '').split(';')[0].trim();
  const total = Number(res.headers.get('Content-Length') ?? 0) || 0;
  const { first, rest } = await peek(counted(res.body, total, onProgress));
  let body: ReadableStream<Uint8Array> = rest;
  if (startsWith(first, gzipMagic) && d.DecompressionStream) body = rest.pipeThrough(new d.DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  else if (!startsWith(first, wasmMagic)) {
    await rest.cancel().catch(() => {});
    await kept;
    await cache?.delete(url).catch(() => false); // an error page is no module to keep
    throw new LoadError('not-wasm', type || 'no Content-Type');
  }
  // The server already unpacked the .gz (Content-Encoding), or we fetched
  // the plain module: either way body is WebAssembly now.
  let instance: WebAssembly.Instance;
  if ((packed || type === 'application/wasm') && typeof wasm.instantiateStreaming === 'function') {
    const streamed = new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
    instance = (await wasm.instantiateStreaming(streamed, imports)).instance;
  } else {
    const bytes = await new Response(body).arrayBuffer();
    instance = (await wasm.instantiate(bytes, imports)).instance;
  }
  await forgetOlder(d);
  return instance;
}

const cachePrefix = 'maillab-wasm-';

function moduleURL(base: string, name: string, version?: string): string {
  const u = new URL(name, base);
  if (version) u.searchParams.set('v', version); // no HTTP cache on the way serves an older build
  return u.href;
}

async function openCache(d: LoadDeps): Promise<Cache | undefined> {
  if (!d.caches || !d.version) return undefined;
  try {
    return await d.caches.open(cachePrefix + d.version);
  } catch {
    return undefined; // storage off (a private window may refuse it): load from the network each time
  }
}

/**
 * fetchKept answers from the cache, or fetches and keeps a copy of a good
 * answer; kept settles when the copy is written (or failed: a full disk
 * only costs the next visit a download).
 */
async function fetchKept(d: LoadDeps, cache: Cache | undefined, url: string): Promise<{ res: Response; kept: Promise<void> }> {
  const done = Promise.resolve();
  const hit = await cache?.match(url).catch(() => undefined);
  if (hit) return { res: hit, kept: done };
  const res = await get(d, url);
  if (!cache || !res.ok || !res.body) return { res, kept: done };
  const [mine, copy] = res.body.tee();
  const kept = cache.put(url, new Response(copy, { status: res.status, headers: res.headers })).catch(() => {});
  return { res: new Response(mine, { status: res.status, statusText: res.statusText, headers: res.headers }), kept };
}

/** forgetOlder drops the modules of earlier builds. */
async function forgetOlder(d: LoadDeps): Promise<void> {
  if (!d.caches || !d.version) return;
  try {
    for (const name of await d.caches.keys()) {
      if (name.startsWith(cachePrefix) && name !== cachePrefix + d.version) await d.caches.delete(name);
    }
  } catch {
    // nothing to tidy
  }
}

async function get(d: LoadDeps, url: string): Promise<Response> {
  try {
    return await d.fetch(url);
  } catch (e) {
    throw new LoadError('network', e instanceof Error ? e.message : String(e));
  }
}

/** counted passes the bytes on, reporting how many went by. */
function counted(body: ReadableStream<Uint8Array>, total: number, onProgress: (p: LoadProgress) => void): ReadableStream<Uint8Array> {
  let loaded = 0;
  onProgress({ loaded, total });
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        loaded += chunk.byteLength;
        onProgress({ loaded, total: Math.max(total, loaded) });
        ctl.enqueue(chunk);
      },
    }),
  );
}

/** peek reads the first bytes (enough for a magic number) and gives back the whole stream. */
async function peek(s: ReadableStream<Uint8Array>): Promise<{ first: Uint8Array; rest: ReadableStream<Uint8Array> }> {
  const reader = s.getReader();
  const head: Uint8Array[] = [];
  let n = 0;
  while (n < 4) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    n += value.byteLength;
  }
  const first = new Uint8Array(n);
  let at = 0;
  for (const c of head) {
    first.set(c, at);
    at += c.byteLength;
  }
  const rest = new ReadableStream<Uint8Array>({
    start(ctl) {
      if (n > 0) ctl.enqueue(first);
    },
    async pull(ctl) {
      const { done, value } = await reader.read();
      if (done) ctl.close();
      else ctl.enqueue(value);
    },
    cancel: (r) => reader.cancel(r),
  });
  return { first, rest };
}
