// The one place that decides how the UI reaches the Go side: inside the
// desktop app Wails injects window.go; the web edition (vite build --mode
// web) runs it in a worker of the page; otherwise a browser uses HTTP to
// `maillab serve`.

import { httpBridge } from './http';
import type { Bridge } from './types';
import { wasmBridge } from './wasm';
import { wailsBridge } from './wails';

export type { Bridge, Payloads, PushName } from './types';
export { errorText } from './types';
export * from './events';

export type { WasmBridge, LoadState } from './wasm';

export function createBridge(): Bridge {
  const w = window as unknown as { go?: unknown };
  if (w.go) return wailsBridge();
  return import.meta.env.MODE === 'web' ? wasmBridge() : httpBridge();
}
