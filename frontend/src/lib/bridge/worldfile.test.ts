import { describe, expect, it, vi } from 'vitest';
import { httpBridge, tokenHeader, type HttpDeps } from './http';
import type { FromWorker, ToWorker } from './protocol';
import { now } from './queue';
import { wailsBridge, type WailsWindow } from './wails';
import { wasmBridge, type WorkerLike } from './wasm';

function deps(href: string, respond: (url: string, init: RequestInit) => Response): HttpDeps & { fetch: ReturnType<typeof vi.fn> } {
  const m = new Map<string, string>();
  return {
    fetch: vi.fn(async (url: string, init: RequestInit) => respond(url, init)),
    EventSource: class {} as unknown as typeof EventSource,
    location: { href, search: new URL(href).search },
    storage: { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) },
    replaceUrl: vi.fn(),
    schedule: now,
  } as unknown as HttpDeps & { fetch: ReturnType<typeof vi.fn> };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const run = { runId: 7, scenario: 'live', nodes: [], ports: [], mode: 'instant', interval: 0, world: 'Class 7b' };

describe('world files over HTTP', () => {
  it('worldFile and openWorld are calls with the token; no desktop dialogs', async () => {
    const d = deps('http://h/?token=s3cret', (url) => json(200, { result: url.endsWith('/worldFile') ? 'maillab-world: 1\n' : run }));
    const b = httpBridge(d);
    await expect(b.worldFile(true)).resolves.toBe('maillab-world: 1\n');
    await expect(b.openWorld('maillab-world: 1\ntitle: Class 7b\n')).resolves.toEqual(run);
    const [[u1, i1], [u2, i2]] = d.fetch.mock.calls;
    expect(u1).toBe('/api/call/worldFile');
    expect(JSON.parse(i1.body)).toEqual({ args: [true] });
    expect(i1.headers[tokenHeader]).toBe('s3cret');
    expect(u2).toBe('/api/call/openWorld');
    expect(JSON.parse(i2.body)).toEqual({ args: ['maillab-world: 1\ntitle: Class 7b\n'] });
    expect(b.saveWorld).toBeUndefined();
    expect(b.openWorldFile).toBeUndefined();
  });

  it('a refused file rejects with the whole multi-line error', async () => {
    const error = 'providers[1].accounts[0].address: "bob" is not an e-mail address (line 9)\nlimits.max-conns: "many" is not a number (line 20)';
    const b = httpBridge(deps('http://h/?token=t', () => json(422, { error })));
    await expect(b.openWorld('maillab-world: 1\n')).rejects.toThrow(error);
  });
});

describe('world files in the desktop app', () => {
  it('calls WorldFile, OpenWorld, SaveWorld and OpenWorldFile; a cancelled open is null', async () => {
    const App = {
      WorldFile: vi.fn(async () => 'maillab-world: 1\n'),
      OpenWorld: vi.fn(async () => run),
      SaveWorld: vi.fn(async () => '/home/teacher/world.yaml'),
      OpenWorldFile: vi.fn(async (): Promise<unknown> => run),
    };
    const w: WailsWindow = { go: { app: { App } } };
    const b = wailsBridge(w, now);
    await expect(b.worldFile(false)).resolves.toBe('maillab-world: 1\n');
    expect(App.WorldFile).toHaveBeenCalledWith(false);
    await expect(b.openWorld('x')).resolves.toEqual(run);
    expect(App.OpenWorld).toHaveBeenCalledWith('x');
    await expect(b.saveWorld?.(true, 'de')).resolves.toBe('/home/teacher/world.yaml');
    expect(App.SaveWorld).toHaveBeenCalledWith(true, 'de');
    await expect(b.openWorldFile?.('pl')).resolves.toEqual(run);
    expect(App.OpenWorldFile).toHaveBeenCalledWith('pl');
    App.OpenWorldFile.mockResolvedValueOnce(null);
    await expect(b.openWorldFile?.('en')).resolves.toBeNull();
    App.OpenWorldFile.mockRejectedValueOnce('providers: no provider (line 2)');
    await expect(b.openWorldFile?.('en')).rejects.toThrow('providers: no provider (line 2)');
  });
});

describe('world files in the web edition', () => {
  it('go to the worker as calls of the one method table', async () => {
    const sent: ToWorker[] = [];
    const w: WorkerLike = { postMessage: (m) => void sent.push(m), onmessage: null, onerror: null };
    const b = wasmBridge(w, 'https://school.example/maillab/', now);
    const reply = (m: FromWorker) => w.onmessage?.({ data: m } as MessageEvent<FromWorker>);
    reply({ ready: true });
    const opened = b.openWorld('maillab-world: 1\n');
    await new Promise((r) => setTimeout(r, 0));
    const call = sent.find((m): m is Extract<ToWorker, { id: number; method: string }> => 'method' in m);
    expect(call).toMatchObject({ method: 'openWorld', args: ['maillab-world: 1\n'] });
    reply({ id: call!.id, json: JSON.stringify({ error: 'unsupported world-file version 2' }) });
    await expect(opened).rejects.toThrow('unsupported world-file version 2');
    expect(b.saveWorld).toBeUndefined();
  });
});
