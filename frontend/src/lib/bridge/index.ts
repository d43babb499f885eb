// The one place that decides how the UI reaches the Go side: inside the
// desktop app Wails injects window.go; in a browser we use HTTP.

import { httpBridge } from './http';
import type { Bridge } from './types';
import { wailsBridge } from './wails';

export type { Bridge, Payloads, PushName } from './types';
export { errorText } from './types';
export * from './events';

export function createBridge(): Bridge {
  const w = window as unknown as { go?: unknown };
  return w.go ? wailsBridge() : httpBridge();
}
