import { describe, expect, it, vi } from 'vitest';
import { EventsPushed, RunPushed } from './events';
import type { MailEvent } from '../core/types';
import { ConnFields, httpBridge, takeToken, tokenHeader, type HttpDeps } from './http';
import { lineBytes } from '../core/bytes';
import { now, PushQueue } from './queue';
import { goName, wailsBridge, type WailsWindow } from './wails';

class FakeSource {
  static last: FakeSource;
  url: string;
  handlers = new Map<string, ((e: unknown) => void)[]>();
  constructor(url: string) {
    this.url = url;
    FakeSource.last = this;
  }
  addEventListener(name: string, cb: (e: unknown) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), cb]);
  }
  fire(name: string, e: unknown = {}) {
    this.handlers.get(name)?.forEach((cb) => cb(e));
  }
}

function storage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

function deps(href: string, respond: (url: string, init: RequestInit) => Response): HttpDeps & { fetch: ReturnType<typeof vi.fn> } {
  const fetch = vi.fn(async (url: string, init: RequestInit) => respond(url, init));
  return {
    fetch: fetch as unknown as typeof globalThis.fetch & ReturnType<typeof vi.fn>,
    EventSource: FakeSource as unknown as typeof EventSource,
    location: { href, search: new URL(href).search },
    storage: storage(),
    replaceUrl: vi.fn(),
    schedule: now,
  } as HttpDeps & { fetch: ReturnType<typeof vi.fn> };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('HTTP bridge', () => {
  it('posts args and returns the result, with the token from the URL', async () => {
    const d = deps('http://h/?token=s3cret&x=1', () => json(200, { result: true }));
    const b = httpBridge(d);
    expect(b.canControl).toBe(true);
    expect(b.transport).toBe('http');
    await expect(b.step()).resolves.toBe(true);
    const [url, init] = d.fetch.mock.calls[0];
    expect(url).toBe('/api/call/step');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual({ args: [] });
    expect(init.headers[tokenHeader]).toBe('s3cret');
    expect(d.replaceUrl).toHaveBeenCalledWith('/?x=1');
    await b.play(500);
    expect(JSON.parse(d.fetch.mock.calls[1][1].body)).toEqual({ args: [500] });
  });

  it('keeps the token in session storage across reloads', () => {
    const s = storage();
    expect(takeToken({ location: { href: 'http://h/?token=abc', search: '' }, storage: s })).toBe('abc');
    expect(takeToken({ location: { href: 'http://h/', search: '' }, storage: s })).toBe('abc');
  });

  it('is a read-only viewer without a token', () => {
    const b = httpBridge(deps('http://h/', () => json(200, { result: [] })));
    expect(b.canControl).toBe(false);
  });

  it('rejects with the server message, or a readable fallback', async () => {
    const b = httpBridge(deps('http://h/', () => json(403, { error: 'control needs the token' })));
    await expect(b.reset()).rejects.toThrow('control needs the token');
    const b2 = httpBridge(deps('http://h/', () => new Response('oops', { status: 500 })));
    await expect(b2.snapshot()).rejects.toThrow('snapshot: HTTP 500');
    const b3 = httpBridge(
      deps('http://h/', () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(b3.events(0)).rejects.toThrow(/cannot be reached.*Failed to fetch/);
  });

  it('turns a null history into an empty page', async () => {
    const b = httpBridge(deps('http://h/', () => json(200, { result: null })));
    await expect(b.events(3)).resolves.toEqual({ events: [], first: 0, dropped: 0, last: 0, more: false });
  });

  it('asks for a page of the history', async () => {
    const bodies: unknown[] = [];
    const page = { events: [{ seq: 4, kind: 'line' }], first: 2, dropped: 1, last: 9, more: true };
    const b = httpBridge(
      deps('http://h/', (_url, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return json(200, { result: { ...page, events: null } });
      }),
    );
    await expect(b.events(3, 50)).resolves.toEqual({ ...page, events: [] });
    expect(bodies).toEqual([{ args: [3, 50] }]);
  });

  it('delivers Server-Sent Events by name and reports reconnects', () => {
    const b = httpBridge(deps('http://h/', () => json(200, {})));
    const got: unknown[] = [];
    const off = b.on(EventsPushed, (p) => got.push(p));
    const back = vi.fn();
    b.onReconnect(back);
    const src = FakeSource.last;
    expect(src.url).toBe('/api/events');
    // The controller's stream carries its token: only then does the server send passwords unmasked.
    httpBridge(deps('http://h/?token=t%201', () => json(200, {}))).on(EventsPushed, () => {});
    expect(FakeSource.last.url).toBe('/api/events?token=t%201');
    FakeSource.last = src;
    src.fire(EventsPushed, { data: '[{"seq":1,"kind":"line"}]' });
    src.fire(RunPushed, { data: '{"runId":"r"}' });
    src.fire(EventsPushed, { data: 'not json' });
    expect(got).toEqual([[{ seq: 1, kind: 'line' }]]);
    src.fire('open');
    expect(back).not.toHaveBeenCalled();
    src.fire('error');
    src.fire('open');
    expect(back).toHaveBeenCalledOnce();
    off();
    src.fire(EventsPushed, { data: '[]' });
    expect(got).toHaveLength(1);
  });

  it("puts back the connection fields the stream left out (a line marked same), as the server's rule says", () => {
    const b = httpBridge(deps('http://h/', () => json(200, {})));
    const got: MailEvent[][] = [];
    b.on(EventsPushed, (p) => got.push(p as MailEvent[]));
    const src = FakeSource.last;
    src.fire('open');
    const a = { client: 'external', server: 'mx.example.net', proto: 'smtp', port: 25, addr: '127.0.0.1:2525', clientAddr: '127.0.0.1:5000' };
    const late = { client: 'alice-laptop' };
    const full = { client: 'alice-laptop', server: 'smtp.example.org', proto: 'submission', port: 587, addr: '127.0.0.1:587' };
    const sent = [
      [{ seq: 1, kind: 'line', conn: 1, ...a, text: 'EHLO x' }, { seq: 2, kind: 'line', conn: 1, same: true, text: '250 ok' }, { seq: 3, kind: 'state', code: 'state.x' }],
      [{ seq: 4, kind: 'line', conn: 3, ...late, text: '?' }, { seq: 5, kind: 'line', conn: 3, ...full, text: 'EHLO y' }, { seq: 6, kind: 'line', conn: 1, same: true, text: 'QUIT' }],
      [{ seq: 7, kind: 'line', conn: 3, same: true, text: 'QUIT' }],
    ];
    for (const batch of sent) src.fire(EventsPushed, { data: JSON.stringify(batch) });
    expect(got.flat()).toEqual([
      { seq: 1, kind: 'line', conn: 1, ...a, text: 'EHLO x' },
      { seq: 2, kind: 'line', conn: 1, ...a, text: '250 ok' },
      { seq: 3, kind: 'state', code: 'state.x' },
      { seq: 4, kind: 'line', conn: 3, ...late, text: '?' },
      { seq: 5, kind: 'line', conn: 3, ...full, text: 'EHLO y' },
      { seq: 6, kind: 'line', conn: 1, ...a, text: 'QUIT' },
      { seq: 7, kind: 'line', conn: 3, ...full, text: 'QUIT' },
    ]);
  });

  it("puts back an explanation left out (sameExplain: the connection's line before had it), the server's rule", () => {
    const c = new ConnFields();
    const body = { key: 'explain.msg.body.text', rfc: 'RFC 5322 §2.3' };
    const other = { key: 'explain.smtp.c.data', rfc: 'RFC 5321' };
    const lines = [
      { seq: 1, kind: 'line', conn: 1, text: 'DATA', explain: other },
      { seq: 2, kind: 'line', conn: 2, text: 'x', explain: body },
      { seq: 3, kind: 'line', conn: 1, text: 'line 1', explain: body, rawText: true },
      { seq: 4, kind: 'line', conn: 1, text: 'line 2', sameExplain: true, rawText: true },
      { seq: 5, kind: 'line', conn: 1, text: 'no explanation' },
      { seq: 6, kind: 'line', conn: 2, text: 'y', sameExplain: true },
    ] as unknown as MailEvent[];
    c.fill(lines);
    expect(lines.map((l) => l.explain)).toEqual([other, body, body, body, undefined, body]);
    expect(lines.every((l) => (l as { sameExplain?: boolean }).sameExplain === undefined)).toBe(true);
    expect(lines[3].rawText).toBe(true); // stays: lineBytes makes the bytes from the text
    expect(new TextDecoder().decode(lineBytes(lines[3]))).toBe('line 2\r\n');
    expect(lineBytes({ raw: btoa('a\n'), rawText: true, text: 'a' })).toEqual(new Uint8Array([97, 10]));
    expect(lineBytes(undefined)).toEqual(new Uint8Array(0));
  });

  it('forgets with the server: every connection after the bound, and everything on a new stream', () => {
    const c = new ConnFields();
    const line = (conn: number, same = false) => (same ? { seq: 1, kind: 'line', conn, same } : { seq: 1, kind: 'line', conn, client: 'a', server: `s${conn}` }) as MailEvent;
    for (let i = 1; i <= 1024; i++) c.fill([line(i)]);
    const kept = [line(1, true)];
    c.fill(kept);
    expect(kept[0]).toEqual({ seq: 1, kind: 'line', conn: 1, client: 'a', server: 's1' });
    c.fill([line(1025)]); // past the bound: the server forgot the others too, and sends them in full again
    const again = [line(1025, true)];
    c.fill(again);
    expect(again[0].server).toBe('s1025');
    const gone = [line(2, true)];
    c.fill(gone);
    expect(gone[0].server).toBeUndefined();
  });
});

describe('lesson methods', () => {
  it('HTTP: lessons, lesson(id, lang) and waiting post their arguments', async () => {
    const d = deps('http://h/', (url) => json(200, { result: url.endsWith('/waiting') ? null : [] }));
    const b = httpBridge(d);
    await b.lessons('de');
    await b.lesson('pop3-vs-imap', 'pl');
    await expect(b.waiting()).resolves.toEqual([]);
    expect(d.fetch.mock.calls.map(([url, init]) => [url, JSON.parse(init.body).args])).toEqual([
      ['/api/call/lessons', ['de']],
      ['/api/call/lesson', ['pop3-vs-imap', 'pl']],
      ['/api/call/waiting', []],
    ]);
  });

  it('Wails: the capitalised Go methods', async () => {
    const Lessons = vi.fn(async () => null);
    const Lesson = vi.fn(async (id: unknown, lang: unknown) => ({ id, lang }));
    const Waiting = vi.fn(async () => [{ seq: 7 }]);
    const b = wailsBridge({ go: { app: { App: { Lessons, Lesson, Waiting } } } }, now);
    await expect(b.lessons('en')).resolves.toEqual([]);
    await expect(b.lesson('x', 'de')).resolves.toEqual({ id: 'x', lang: 'de' });
    expect(Lesson).toHaveBeenCalledWith('x', 'de');
    await expect(b.waiting()).resolves.toEqual([{ seq: 7 }]);
    expect(goName('waiting')).toBe('Waiting');
  });
});

describe('PushQueue', () => {
  it('hands the first push on at once, the rest at the next frame, then every third frame while pushes keep coming, in order, batches merged', () => {
    const frames: (() => void)[] = [];
    const got: [string, unknown][] = [];
    const q = new PushQueue((n, p) => got.push([n, p]), (f) => frames.push(f));
    const frame = () => frames.shift()!();
    q.push(EventsPushed, [{ seq: 1 }]);
    expect(got).toEqual([[EventsPushed, [{ seq: 1 }]]]); // a single step shows at once
    q.push(EventsPushed, [{ seq: 2 }]);
    q.push(EventsPushed, [{ seq: 3 }, { seq: 4 }]);
    q.push(RunPushed, { runId: 2 });
    q.push(EventsPushed, [{ seq: 1 }]);
    q.push(EventsPushed, null);
    expect(got).toHaveLength(1);
    expect(frames).toHaveLength(1);
    frame();
    expect(got.slice(1)).toEqual([
      [EventsPushed, [{ seq: 2 }, { seq: 3 }, { seq: 4 }]],
      [RunPushed, { runId: 2 }],
      [EventsPushed, [{ seq: 1 }]],
      [EventsPushed, null],
    ]);
    // Pushes keep coming: the next waits its turn; the two frames after a turn are the browser's.
    q.push(EventsPushed, [{ seq: 5 }]);
    frame();
    frame();
    expect(got).toHaveLength(5);
    frame();
    expect(got[5]).toEqual([EventsPushed, [{ seq: 5 }]]);
    // A quiet frame ends the hold: the next push goes at once again.
    frame();
    expect(frames).toHaveLength(0);
    q.push(EventsPushed, [{ seq: 6 }]);
    expect(got[6]).toEqual([EventsPushed, [{ seq: 6 }]]);
  });

  it('holds no Step: after a quiet frame the next push goes at once', () => {
    const frames: (() => void)[] = [];
    const got: unknown[] = [];
    const q = new PushQueue((_, p) => got.push(p), (f) => frames.push(f));
    for (let i = 1; i <= 3; i++) {
      q.push(EventsPushed, [{ seq: i }]);
      expect(got).toHaveLength(i);
      frames.shift()!();
      expect(frames).toHaveLength(0);
    }
  });

  it('shares a flood out over turns: pieces until the budget is spent, in order', () => {
    const frames: (() => void)[] = [];
    const got: [string, unknown][] = [];
    let t = 0;
    // Each piece handed on takes 4 ms; a turn may take 10; one frame rests after a turn.
    const q = new PushQueue(
      (n, p) => {
        got.push([n, p]);
        t += 4;
      },
      (f) => frames.push(f),
      { piece: 2, budget: 10, rest: 1, clock: () => t },
    );
    const frame = () => frames.shift()!();
    const evs = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => ({ seq: a + i }));
    q.push(EventsPushed, evs(1, 9));
    expect(got).toEqual([[EventsPushed, evs(1, 2)]]); // at once: one piece
    q.push(EventsPushed, evs(10, 11));
    q.push(RunPushed, { runId: 2 });
    q.push(EventsPushed, evs(12, 12));
    got.length = 0;
    frame();
    // Three pieces (12 ms, the last over the budget); the rest waits.
    expect(got).toEqual([
      [EventsPushed, evs(3, 4)],
      [EventsPushed, evs(5, 6)],
      [EventsPushed, evs(7, 8)],
    ]);
    got.length = 0;
    frame(); // the browser's frame
    expect(got).toEqual([]);
    frame();
    // Whatever is left of a batch goes first, in pieces; what came after it waits its turn.
    expect(got).toEqual([
      [EventsPushed, evs(9, 10)],
      [EventsPushed, evs(11, 11)],
      [RunPushed, { runId: 2 }],
    ]);
    got.length = 0;
    frame();
    expect(got).toEqual([]);
    frame();
    expect(got).toEqual([[EventsPushed, evs(12, 12)]]);
    frame();
    expect(frames).toHaveLength(0); // a quiet frame: nothing more is held
  });

  it('parses a later push when its turn comes, inside the turn, in order', () => {
    const frames: (() => void)[] = [];
    const got: [string, unknown][] = [];
    const parsed: string[] = [];
    const q = new PushQueue((n, p) => got.push([n, p]), (f) => frames.push(f));
    const later = (name: string, json: string) =>
      q.pushLater(name, () => {
        parsed.push(json);
        try {
          return JSON.parse(json);
        } catch {
          return undefined;
        }
      });
    later(EventsPushed, '[{"seq":1}]');
    expect(got).toEqual([[EventsPushed, [{ seq: 1 }]]]); // the first at once, as a step
    later(EventsPushed, '[{"seq":2}]');
    later(EventsPushed, 'not json');
    later(RunPushed, '{"runId":3}');
    q.push(EventsPushed, [{ seq: 4 }]);
    expect(parsed).toHaveLength(1); // nothing parsed in the network's task
    frames.shift()!();
    expect(parsed).toEqual(['[{"seq":1}]', '[{"seq":2}]', 'not json', '{"runId":3}']);
    expect(got.slice(1)).toEqual([
      [EventsPushed, [{ seq: 2 }]],
      [RunPushed, { runId: 3 }],
      [EventsPushed, [{ seq: 4 }]],
    ]);
    later(EventsPushed, '[{"seq":5},{"seq":6}]');
    q.flush();
    expect(got[4]).toEqual([EventsPushed, [{ seq: 5 }, { seq: 6 }]]);
  });

  it('flush hands on everything held, pieces left of a batch included', () => {
    const got: unknown[][] = [];
    let t = 0;
    const q = new PushQueue((_, p) => (got.push(p as unknown[]), (t += 100)), () => {}, { piece: 2, budget: 1, clock: () => t });
    q.push(EventsPushed, [1, 2, 3, 4, 5]);
    q.push(EventsPushed, [6]);
    expect(got).toEqual([[1, 2]]);
    q.flush();
    expect(got.flat()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('Wails bridge', () => {
  it('calls the bound Go methods and listens through the runtime', async () => {
    const Step = vi.fn(async () => true);
    const Events = vi.fn(async () => null);
    const Start = vi.fn(async () => {
      throw 'no such scenario';
    });
    const off = vi.fn();
    let listener: ((...d: unknown[]) => void) | undefined;
    const w: WailsWindow = {
      go: { app: { App: { Step, Events, Start } } },
      runtime: {
        EventsOn: (_n, cb) => {
          listener = cb;
          return off;
        },
      },
    };
    const b = wailsBridge(w, now);
    expect(b.canControl).toBe(true);
    await expect(b.step()).resolves.toBe(true);
    await expect(b.events(4)).resolves.toEqual({ events: [], first: 0, dropped: 0, last: 0, more: false });
    expect(Events).toHaveBeenCalledWith(4, 0);
    await expect(b.start('x')).rejects.toThrow('no such scenario');
    await expect(b.pause()).rejects.toThrow('no method Pause');
    const got: unknown[] = [];
    const unsub = b.on(EventsPushed, (p) => got.push(p));
    listener?.([{ seq: 2 }]);
    expect(got).toEqual([[{ seq: 2 }]]);
    unsub();
    expect(off).toHaveBeenCalled();
  });

  it('maps contract names to Go names', () => {
    expect(goName('snapshot')).toBe('Snapshot');
    expect(goName('ready')).toBe('Ready');
    expect(goName('run')).toBe('Run');
  });
});
