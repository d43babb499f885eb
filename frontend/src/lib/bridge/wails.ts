// Wails v2 transport: bound methods on window.go.app.App, events through
// window.runtime. Typings are hand-written so the build does not depend on
// the generated frontend/wailsjs.

import type { MailEvent, RunInfo, ScenarioInfo, Snapshot } from '../core/types';
import { errorText, type Bridge, type Method, type Payloads, type PushName } from './types';

type GoMethod = (...args: unknown[]) => Promise<unknown>;

export interface WailsWindow {
  go?: { app?: { App?: Record<string, GoMethod> } };
  runtime?: { EventsOn(name: string, cb: (...data: unknown[]) => void): (() => void) | void; EventsOff?(name: string): void };
}

/** goName is the exported Go method behind a contract method: step → Step. */
export function goName(m: Method): string {
  return m[0].toUpperCase() + m.slice(1);
}

export function wailsBridge(w: WailsWindow = window as unknown as WailsWindow): Bridge {
  async function call<T>(m: Method, ...args: unknown[]): Promise<T> {
    const fn = w.go?.app?.App?.[goName(m)];
    if (!fn) throw new Error(`The desktop app has no method ${goName(m)}.`);
    try {
      return (await fn(...args)) as T;
    } catch (e) {
      throw new Error(errorText(e));
    }
  }
  return {
    transport: 'wails',
    canControl: true,
    scenarios: (lang) => call<ScenarioInfo[]>('scenarios', lang),
    start: (id) => call<RunInfo>('start', id),
    run: () => call<RunInfo>('run'),
    step: () => call<boolean>('step'),
    play: (ms) => call<void>('play', ms),
    pause: () => call<void>('pause'),
    reset: () => call<RunInfo>('reset'),
    events: async (since) => (await call<MailEvent[] | null>('events', since)) ?? [],
    snapshot: () => call<Snapshot>('snapshot'),
    catalog: (lang) => call<Record<string, string>>('catalog', lang),
    ready: () => call<void>('ready'),
    on<K extends PushName>(name: K, cb: (p: Payloads[K]) => void) {
      const off = w.runtime?.EventsOn(name, (...data: unknown[]) => cb(data[0] as Payloads[K]));
      return typeof off === 'function' ? off : () => w.runtime?.EventsOff?.(name);
    },
    onReconnect: () => () => {},
  };
}
