import { describe, expect, it } from 'vitest';
import { sampleEvents } from '../core/testdata';
import { FakeBridge } from '../testing/fake-bridge';
import { RunStore } from './run.svelte';

describe('RunStore catch-up', () => {
  it('loads a long history page by page, each event once', async () => {
    const b = new FakeBridge(sampleEvents);
    await b.start();
    while (await b.step()) {
      /* release the whole run before anyone watches */
    }
    const total = b.released.length;
    expect(total).toBeGreaterThan(10);
    b.pageSize = 4;
    const run = new RunStore(b);
    await run.connect();
    expect(run.events.map((e) => e.seq)).toEqual(b.released.map((e) => e.seq));
    const pages = b.calls.filter((c) => c.startsWith('events:'));
    expect(pages.length).toBe(Math.ceil(total / 4));
    expect(pages[1]).toBe(`events:${b.released[3].seq}`);
    run.disconnect();
  });

  it('says when the Go side no longer keeps the oldest events', async () => {
    const b = new FakeBridge(sampleEvents);
    await b.start();
    await b.step();
    const events = b.events.bind(b);
    b.events = async (since, limit) => ({ ...(await events(since, limit)), dropped: 1200 });
    const run = new RunStore(b);
    await run.connect();
    expect(run.dropped).toBe(1200);
    run.disconnect();
  });

  it('leaves no unhandled rejection when the bridge is down (the web edition failed to load)', async () => {
    const b = new FakeBridge(sampleEvents);
    const down = () => Promise.reject(new Error('text/html'));
    b.run = down;
    b.events = down;
    b.snapshot = down;
    const unhandled: unknown[] = [];
    const seen = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', seen);
    try {
      const run = new RunStore(b);
      await run.connect();
      await new Promise((r) => setTimeout(r, 20)); // rejections are reported after a tick
      expect(unhandled).toEqual([]);
      run.disconnect();
    } finally {
      process.off('unhandledRejection', seen);
    }
  });
});
