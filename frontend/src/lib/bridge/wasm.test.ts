import { describe, expect, it } from 'vitest';
import { EventsPushed, RunPushed } from './events';
import type { FromWorker, ToWorker } from './protocol';
import { now } from './queue';
import { wasmBridge, type LoadState, type WorkerLike } from './wasm';

/** a worker that records what the page sent and answers when told */
class FakeWorker implements WorkerLike {
  sent: ToWorker[] = [];
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  reply(m: FromWorker) {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
  calls() {
    return this.sent.filter((m): m is Extract<ToWorker, { id: number }> => 'id' in m);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('wasm bridge', () => {
  it('starts the worker with the base, holds calls until the Go side is ready, then answers them', async () => {
    const w = new FakeWorker();
    const b = wasmBridge(w, 'https://school.example/maillab/', now);
    expect(w.sent[0]).toEqual({ init: { base: 'https://school.example/maillab/' } });
    expect(b.transport).toBe('wasm');
    expect(b.canControl).toBe(true);

    const states: LoadState[] = [];
    b.onLoad((s) => states.push(s));
    const step = b.step();
    await tick();
    expect(w.calls()).toEqual([]); // nothing goes to a worker that is still loading
    w.reply({ progress: { loaded: 10, total: 20 } });
    w.reply({ ready: true });
    await tick();
    const [call] = w.calls();
    expect(call).toMatchObject({ method: 'step', args: [] });
    w.reply({ id: call.id, json: '{"result":true}' });
    await expect(step).resolves.toBe(true);
    expect(states.map((s) => s.phase)).toEqual(['loading', 'loading', 'ready']);

    const lesson = b.lesson('x', 'de');
    await tick();
    const second = w.calls()[1];
    expect(second).toMatchObject({ method: 'lesson', args: ['x', 'de'] });
    w.reply({ id: second.id, json: '{"error":"no lesson x"}' });
    await expect(lesson).rejects.toThrow('no lesson x');

    const events = b.events(0);
    await tick();
    w.reply({ id: w.calls()[2].id, json: '{"result":null}' });
    await expect(events).resolves.toEqual({ events: [], first: 0, dropped: 0, last: 0, more: false }); // Go's nil arrives as an empty page
  });

  it('hands pushed events to their listeners in order', () => {
    const w = new FakeWorker();
    const b = wasmBridge(w, 'https://x/', now);
    const got: unknown[] = [];
    b.on(RunPushed, (p) => got.push(['run', p.runId]));
    const off = b.on(EventsPushed, (p) => got.push(['events', p.length]));
    w.reply({ event: RunPushed, json: '{"runId":2}' });
    w.reply({ event: EventsPushed, json: '[{"seq":1},{"seq":2}]' });
    off();
    w.reply({ event: EventsPushed, json: '[{"seq":3}]' });
    expect(got).toEqual([
      ['run', 2],
      ['events', 2],
    ]);
  });

  it('fails every waiting call with the reason when the module cannot load', async () => {
    const w = new FakeWorker();
    const b = wasmBridge(w, 'https://x/', now);
    let last: LoadState | undefined;
    b.onLoad((s) => (last = s));
    const run = b.run();
    w.reply({ failed: { code: 'not-wasm', detail: 'text/html' } });
    await expect(run).rejects.toThrow('text/html');
    await expect(b.scenarios('en')).rejects.toThrow('text/html');
    expect(last).toEqual({ phase: 'failed', code: 'not-wasm', detail: 'text/html' });
  });
});
