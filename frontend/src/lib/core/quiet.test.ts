import { describe, expect, it, vi } from 'vitest';
import { idleOrSoon, whenQuiet } from './quiet';

/** A page whose idle moments come when the test says (idle()), with a clock the test moves. */
function page() {
  const waiting: (() => void)[] = [];
  const p = {
    events: 0,
    clock: 0,
    later: (f: () => void) => void waiting.push(f),
    idle() {
      const due = waiting.splice(0);
      due.forEach((f) => f());
      return due.length;
    },
  };
  return p;
}

describe('whenQuiet', () => {
  it('runs the work once no event came in for calm ms (after a Step)', () => {
    const p = page();
    const ran = vi.fn();
    whenQuiet(() => p.events, 150, 2000, p.later, () => p.clock)(ran);
    expect(ran).not.toHaveBeenCalled(); // not in the frame that asked
    p.clock += 100;
    p.idle();
    expect(ran).not.toHaveBeenCalled();
    p.clock += 50;
    p.idle();
    expect(ran).toHaveBeenCalledOnce();
  });

  it('does not take a gap between the network\'s batches for the end of a flood', () => {
    const p = page();
    const ran = vi.fn();
    whenQuiet(() => p.events, 150, 2000, p.later, () => p.clock)(ran);
    for (let frame = 0; frame < 30; frame++) {
      if (frame % 3) p.events += 250; // every third frame brings nothing
      p.clock += 16;
      p.idle();
    }
    expect(ran).not.toHaveBeenCalled();
  });

  it('waits while events flood in, and runs once they stop', () => {
    const p = page();
    const ran = vi.fn();
    whenQuiet(() => p.events, 150, 2000, p.later, () => p.clock)(ran);
    for (let frame = 0; frame < 20; frame++) {
      p.events += 250;
      p.clock += 16;
      p.idle();
    }
    expect(ran).not.toHaveBeenCalled();
    p.clock += 150; // the flood is over
    p.idle();
    expect(ran).toHaveBeenCalledOnce();
    expect(p.idle()).toBe(0); // and it stops looking
  });

  it('runs after most ms however long the flood goes on', () => {
    const p = page();
    const ran = vi.fn();
    whenQuiet(() => p.events, 150, 500, p.later, () => p.clock)(ran);
    for (let frame = 0; frame < 40 && !ran.mock.calls.length; frame++) {
      p.events += 250;
      p.clock += 16;
      p.idle();
    }
    expect(ran).toHaveBeenCalledOnce();
    expect(p.clock).toBeGreaterThanOrEqual(500);
    expect(p.clock).toBeLessThan(500 + 2 * 16);
  });
});

describe('idleOrSoon', () => {
  it('uses requestIdleCallback with a deadline where there is one', () => {
    const ric = vi.fn((f: () => void, _opts?: { timeout: number }) => {
      f();
      return 1;
    });
    vi.stubGlobal('requestIdleCallback', ric);
    try {
      const ran = vi.fn();
      idleOrSoon(300)(ran);
      expect(ran).toHaveBeenCalledOnce();
      expect(ric.mock.calls[0][1]).toEqual({ timeout: 300 });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('falls back to a short timer without it (WebKitGTK)', () => {
    vi.stubGlobal('requestIdleCallback', undefined);
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const ran = vi.fn();
      idleOrSoon(250)(ran);
      vi.advanceTimersByTime(49);
      expect(ran).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(ran).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
      vi.unstubAllGlobals();
    }
  });
});
