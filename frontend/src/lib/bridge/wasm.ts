// The web edition's transport: the Go side runs in a Web Worker of this
// page (worker.ts), so nothing leaves the page after its own files. Calls
// and pushes travel as the envelope in protocol.ts; everything else is the
// same method table the HTTP API serves.

import type { ExportFile } from '../core/types';
import { fileBlob } from '../core/export';
import { callMethods } from './methods';
import type { FromWorker, LoadErrorCode, LoadProgress, ToWorker } from './protocol';
import { nextFrame, PushQueue, type Schedule } from './queue';
import { type Bridge, type Method, type Payloads, type PushName } from './types';

export interface WorkerLike {
  postMessage(m: ToWorker): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

/** LoadState is what the loading screen shows. */
export type LoadState =
  | { phase: 'loading'; progress: LoadProgress }
  | { phase: 'ready' }
  | { phase: 'failed'; code: LoadErrorCode; detail: string };

export interface WasmBridge extends Bridge {
  /** onLoad reports the module's download and start-up; called at once with the current state */
  onLoad(cb: (s: LoadState) => void): () => void;
}

function startWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url)) as unknown as WorkerLike;
}

export function wasmBridge(worker: WorkerLike = startWorker(), base = document.baseURI, schedule: Schedule = nextFrame): WasmBridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const queue = new PushQueue((name, p) => listeners.get(name)?.forEach((cb) => cb(p)), schedule);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const loaders = new Set<(s: LoadState) => void>();
  let state: LoadState = { phase: 'loading', progress: { loaded: 0, total: 0 } };
  let next = 1;
  let markReady!: () => void;
  let markFailed!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    markReady = res;
    markFailed = rej;
  });
  ready.catch(() => {}); // a failure is shown by the loading screen; calls reject on their own

  const setState = (s: LoadState) => {
    state = s;
    loaders.forEach((cb) => cb(s));
  };

  worker.onmessage = (e) => {
    const m = e.data;
    if ('id' in m) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      const body = JSON.parse(m.json) as { result?: unknown; error?: string };
      if (body.error) p?.reject(new Error(body.error));
      else p?.resolve(body.result);
    } else if ('event' in m) {
      queue.push(m.event, JSON.parse(m.json));
    } else if ('progress' in m) {
      setState({ phase: 'loading', progress: m.progress });
    } else if ('ready' in m) {
      setState({ phase: 'ready' });
      markReady();
    } else if ('failed' in m) {
      setState({ phase: 'failed', ...m.failed });
      markFailed(new Error(m.failed.detail || m.failed.code));
      pending.forEach((p) => p.reject(new Error(m.failed.detail || m.failed.code)));
      pending.clear();
    }
  };
  worker.onerror = (e) => {
    if (state.phase !== 'ready') setState({ phase: 'failed', code: 'crashed', detail: e.message });
  };
  worker.postMessage({ init: { base } });

  async function call<T>(m: Method, ...args: unknown[]): Promise<T> {
    await ready;
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method: m, args });
    });
  }

  return {
    transport: 'wasm',
    canControl: true,
    ...callMethods(call),
    export: async (r) => fileBlob(await call<ExportFile>('export', r.kind, r.lang, r.keys, r.secrets)),
    on<K extends PushName>(name: K, cb: (p: Payloads[K]) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const f = cb as (p: unknown) => void;
      set.add(f);
      return () => set.delete(f);
    },
    onReconnect: () => () => {},
    onLoad(cb) {
      loaders.add(cb);
      cb(state);
      return () => loaders.delete(cb);
    },
  };
}
