// Wails v2 transport: bound methods on window.go.app.App, events through
// window.runtime. Typings are hand-written so the build does not depend on
// the generated frontend/wailsjs.

import type { ExportFile } from '../core/types';
import type { ChallengeStatus, RunInfo } from '../core/types';
import { fileBlob } from '../core/export';
import { normalScreen, type RoomScreen } from '../core/room';
import { nextFrame, PushQueue, type Schedule } from './queue';
import { callMethods } from './methods';
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

export function wailsBridge(w: WailsWindow = window as unknown as WailsWindow, schedule: Schedule = nextFrame): Bridge {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const offs = new Map<string, () => void>();
  const queue = new PushQueue((name, p) => listeners.get(name)?.forEach((cb) => cb(p)), schedule);
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
    ...callMethods(call),
    export: async (r) => fileBlob(await call<ExportFile>('export', r.kind, r.lang, r.keys, r.secrets)),
    saveExport: (r) => call<string>('saveExport', r.kind, r.lang, r.keys, r.secrets),
    savePicture: (name, kind, base64, lang) => call<string>('savePicture', name, kind, base64, lang),
    saveWorld: (withMail, lang) => call<string>('saveWorld', withMail, lang),
    openWorldFile: async (lang) => (await call<RunInfo | null>('openWorldFile', lang)) ?? null,
    saveChallenge: (draft, lang) => call<string>('saveChallenge', draft, lang),
    openChallengeFile: async (lang) => (await call<ChallengeStatus | null>('openChallengeFile', lang)) ?? null,
    handOutChallengeFile: async (lang) => {
      const s = await call<RoomScreen | null>('handOutChallengeFile', lang);
      return s ? normalScreen(s) : null;
    },
    on<K extends PushName>(name: K, cb: (p: Payloads[K]) => void) {
      let set = listeners.get(name);
      if (!set) {
        listeners.set(name, (set = new Set()));
        // One runtime listener per name, so every push goes through the one queue, in order.
        const off = w.runtime?.EventsOn(name, (...data: unknown[]) => queue.push(name, data[0]));
        offs.set(name, typeof off === 'function' ? off : () => w.runtime?.EventsOff?.(name));
      }
      const f = cb as (p: unknown) => void;
      set.add(f);
      return () => {
        set.delete(f);
        if (set.size === 0) {
          listeners.delete(name);
          offs.get(name)?.();
          offs.delete(name);
        }
      };
    },
    onReconnect: () => () => {},
  };
}
