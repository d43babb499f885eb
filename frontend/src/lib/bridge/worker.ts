// The web edition's worker: it owns the Go runtime (simulator, lessons and
// the app layer compiled to js/wasm), so a long Go computation never holds
// up the page. Calls go to the global the Go side sets (app/wasm.go),
// pushed events come back through maillabPush.

import { LoadError, loadWasm } from '../web/wasmload';
import type { FromWorker, ToWorker } from './protocol';

interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

interface GoGlobals {
  Go: new () => GoRuntime;
  maillab?: {
    call(method: string, args: string): Promise<string>;
    cli(args: string[]): Promise<{ code: number; out: string; err: string; ms: number }>;
  };
  maillabPush(name: string, json: string): void;
  maillabReady(): void;
}

// The few parts of a worker's global scope used here (the webworker lib
// would clash with the DOM types of the rest of the program).
interface WorkerScope {
  postMessage(m: FromWorker): void;
  importScripts(...urls: string[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope & GoGlobals;
const post = (m: FromWorker) => scope.postMessage(m);

scope.maillabPush = (event, json) => post({ event, json });
scope.maillabReady = () => post({ ready: true });

async function start(base: string): Promise<void> {
  try {
    // The loader of the Go toolchain that built maillab.wasm, copied beside it.
    scope.importScripts(new URL('wasm_exec.js', base).href);
  } catch (e) {
    throw new LoadError('not-found', `wasm_exec.js: ${e instanceof Error ? e.message : String(e)}`);
  }
  const go = new scope.Go();
  const instance = await loadWasm(base, go.importObject, (progress) => post({ progress }), {
    fetch: (u) => fetch(u),
    caches: typeof caches === 'object' ? caches : undefined,
    version: import.meta.env.VITE_MAILLAB_WASM_HASH || undefined,
    DecompressionStream: typeof DecompressionStream === 'function' ? DecompressionStream : undefined,
    WebAssembly: typeof WebAssembly === 'object' ? WebAssembly : undefined,
  });
  // run resolves only when Go exits, which it never does unless it crashed.
  void go.run(instance).then(() => post({ failed: { code: 'crashed', detail: 'the Go side stopped' } }));
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if ('init' in m) {
    start(m.init.base).catch((err) =>
      post({ failed: err instanceof LoadError ? { code: err.code, detail: err.detail } : { code: 'crashed', detail: String(err) } }),
    );
    return;
  }
  const api = scope.maillab;
  if (!api) {
    post({ id: m.id, json: JSON.stringify({ error: 'Maillab is still loading.' }) });
    return;
  }
  const reply = 'cli' in m ? api.cli(m.cli).then((result) => JSON.stringify({ result })) : api.call(m.method, JSON.stringify(m.args));
  reply
    .then((json) => post({ id: m.id, json }))
    .catch((err) => post({ id: m.id, json: JSON.stringify({ error: String(err) }) }));
};
