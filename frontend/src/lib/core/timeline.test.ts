import { describe, expect, it } from 'vitest';
import { isStepped, SnapshotLog, Timeline } from './timeline';
import { sampleEvents } from './testdata';
import type { MailEvent } from './types';

const steps = sampleEvents.filter(isStepped);

describe('Timeline', () => {
  it('follows the head while the view is at the head', () => {
    const tl = new Timeline();
    tl.append(sampleEvents.slice(0, 10));
    expect(tl.atHead).toBe(true);
    tl.append(sampleEvents.slice(10));
    expect(tl.length).toBe(steps.length);
    expect(tl.cursor).toBe(steps.length);
    expect(tl.cursorEvent).toBe(steps[steps.length - 1]);
    expect(tl.visible()).toHaveLength(sampleEvents.length);
  });

  it('stays in the past when new events arrive', () => {
    const tl = new Timeline();
    tl.append(sampleEvents.slice(0, 20));
    tl.back();
    tl.back();
    const at = tl.cursor;
    tl.append(sampleEvents.slice(20));
    expect(tl.cursor).toBe(at);
    expect(tl.atHead).toBe(false);
  });

  it('steps back and forward through history without losing events', () => {
    const tl = new Timeline();
    tl.append(sampleEvents);
    const n = tl.length;
    expect(tl.back()).toBe(true);
    expect(tl.cursor).toBe(n - 1);
    expect(tl.cursorEvent).toBe(steps[n - 2]);
    // The view ends right before the next step.
    expect(tl.visible().every((e) => e.seq < steps[n - 1].seq)).toBe(true);
    expect(tl.forward()).toBe(true);
    expect(tl.forward()).toBe(false);
    expect(tl.events).toHaveLength(sampleEvents.length);
  });

  it('seeks and clamps', () => {
    const tl = new Timeline();
    tl.append(sampleEvents);
    tl.seek(0);
    expect(tl.cursor).toBe(0);
    expect(tl.cursorEvent).toBeUndefined();
    expect(tl.visible().filter(isStepped)).toHaveLength(0);
    expect(tl.back()).toBe(false);
    tl.seek(5);
    expect(tl.visibleSteps()).toEqual(steps.slice(0, 5));
    expect(tl.limitSeq).toBeLessThan(steps[5].seq);
    tl.seek(99999);
    expect(tl.atHead).toBe(true);
    tl.seek(-3);
    expect(tl.cursor).toBe(0);
  });

  it('ignores duplicates, merges out-of-order batches and reports gaps', () => {
    const tl = new Timeline();
    tl.append(sampleEvents.slice(0, 10));
    expect(tl.append(sampleEvents.slice(5, 10))).toMatchObject({ added: 0, gap: false, rebuilt: false });
    const late = tl.append(sampleEvents.slice(20, 30));
    expect(late.gap).toBe(true);
    const fill = tl.append(sampleEvents.slice(0, 30).reverse());
    expect(fill).toMatchObject({ added: 10, gap: false, rebuilt: true });
    expect(fill.fresh.map((e) => e.seq)).toEqual(sampleEvents.slice(10, 20).map((e) => e.seq));
    expect(late).toMatchObject({ rebuilt: false });
    expect(late.fresh).toEqual(sampleEvents.slice(20, 30));
    expect(tl.events.map((e) => e.seq)).toEqual(sampleEvents.slice(0, 30).map((e) => e.seq));
    expect(tl.length).toBe(sampleEvents.slice(0, 30).filter(isStepped).length);
  });

  it('tells the last seq of the view at any cursor, and cuts steps to the view', () => {
    const tl = new Timeline();
    tl.append(sampleEvents);
    expect(tl.limitSeqAt(tl.length)).toBe(sampleEvents[sampleEvents.length - 1].seq);
    expect(tl.limitSeqAt(0)).toBe(steps[0].seq - 1 >= sampleEvents[0].seq ? steps[0].seq - 1 : 0);
    tl.seek(3);
    expect(tl.limitSeq).toBe(tl.limitSeqAt(3));
    expect(tl.limitSeqAt(2)).toBeLessThan(steps[2].seq);
    expect(tl.limitSeqAt(2)).toBeGreaterThanOrEqual(steps[1].seq);
    expect(tl.stepsIn(1, 10)).toEqual(steps.slice(1, 3));
    expect(tl.visibleSteps()).toEqual(steps.slice(0, 3));
  });

  it('finds the step number of an event and resets', () => {
    const tl = new Timeline();
    tl.append(sampleEvents);
    expect(tl.stepIndexOf(steps[3].seq)).toBe(4);
    expect(tl.stepIndexOf(2)).toBe(-1); // an open event is no step
    tl.reset();
    expect(tl.length).toBe(0);
    expect(tl.lastSeq).toBe(0);
    expect(tl.visible()).toEqual([]);
  });
});

/**
 * ReferenceTimeline is the timeline as first written: a set of every seq
 * seen, each batch filtered through it and the history sorted again when a
 * batch does not follow it. The Timeline must answer the same.
 */
class ReferenceTimeline {
  events: MailEvent[] = [];
  seqs = new Set<number>();
  cursor = 0;

  append(batch: readonly MailEvent[]) {
    const follow = this.cursor === this.steps().length;
    const last = this.events.length ? this.events[this.events.length - 1].seq : 0;
    const fresh: MailEvent[] = [];
    for (const e of batch) if (!this.seqs.has(e.seq)) fresh.push(e);
    // (the first version let a seq twice within one batch through twice: no batch of the Go side has that)
    if (!fresh.length) return { added: 0, gap: false, fresh, rebuilt: false };
    const min = Math.min(...fresh.map((e) => e.seq));
    const gap = this.events.length > 0 && min > last + 1;
    const inOrder = fresh.every((e, i) => e.seq > (i ? fresh[i - 1].seq : last));
    fresh.forEach((e) => this.seqs.add(e.seq));
    this.events = [...this.events, ...fresh].sort((a, b) => a.seq - b.seq);
    if (follow) this.cursor = this.steps().length;
    return { added: fresh.length, gap, fresh: [...fresh].sort((a, b) => a.seq - b.seq), rebuilt: !inOrder };
  }

  steps(): MailEvent[] {
    return this.events.filter(isStepped);
  }
}

/** A seeded generator: the same cases every time. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('Timeline against the whole-history reference', () => {
  // Batches as the page gets them: pushes in order (nearly always), pages
  // of history that overlap what a push brought, pushes after a gap, and
  // now and then a batch out of order; the view sometimes steps back.
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`answers as the reference after every batch (stream ${seed})`, () => {
      const rnd = random(seed);
      const all = sampleEvents;
      const tl = new Timeline();
      const ref = new ReferenceTimeline();
      let next = 0;
      for (let k = 0; k < 200 && next < all.length; k++) {
        const r = rnd();
        let batch: MailEvent[];
        if (r < 0.6) {
          batch = all.slice(next, next + 1 + Math.floor(rnd() * 40)); // the next push
          next += batch.length;
        } else if (r < 0.75) {
          const from = Math.max(0, next - Math.floor(rnd() * 30));
          batch = all.slice(from, next + Math.floor(rnd() * 20)); // a page overlapping what is known
          next = Math.max(next, from + batch.length);
        } else if (r < 0.85) {
          const skip = 1 + Math.floor(rnd() * 10); // a push after a gap
          batch = all.slice(next + skip, next + skip + 5);
        } else if (r < 0.95) {
          batch = all.slice(Math.max(0, next - 20), next + 10).reverse(); // out of order
          next = Math.max(next, Math.min(all.length, next + 10));
        } else {
          batch = [];
        }
        const got = tl.append(batch);
        const want = ref.append(batch);
        expect(got.added).toBe(want.added);
        expect(got.gap).toBe(want.gap);
        expect(got.rebuilt).toBe(want.rebuilt);
        expect([...got.fresh].map((e) => e.seq)).toEqual(want.fresh.map((e) => e.seq));
        expect(tl.events.map((e) => e.seq)).toEqual(ref.events.map((e) => e.seq));
        expect(tl.length).toBe(ref.steps().length);
        expect(tl.cursor).toBe(ref.cursor);
        expect(tl.lastSeq).toBe(ref.events.at(-1)?.seq ?? 0);
        expect(tl.stepsIn(0, tl.cursor).map((e) => e.seq)).toEqual(ref.steps().slice(0, ref.cursor).map((e) => e.seq));
        for (const e of batch) expect(tl.find(e.seq)).toBe(ref.events.find((x) => x.seq === e.seq));
        if (rnd() < 0.1) {
          tl.back();
          ref.cursor = Math.max(0, ref.cursor - 1);
        }
      }
      expect(tl.events.length).toBeGreaterThan(all.length / 2);
    });
  }

  it('takes a seq given twice in one batch once', () => {
    const tl = new Timeline();
    const [a, b] = sampleEvents;
    expect(tl.append([a, b, b]).added).toBe(2);
    expect(tl.append([b, a, b]).added).toBe(0);
    expect(tl.events).toEqual([a, b]);
  });
});

describe('SnapshotLog', () => {
  it('returns the snapshot as of a seq', () => {
    const log = new SnapshotLog<string>();
    expect(log.at(5)).toBeUndefined();
    log.add(3, 'a');
    log.add(10, 'b');
    expect(log.at(2)).toBe('a');
    expect(log.at(9)).toBe('a');
    expect(log.at(10)).toBe('b');
    log.add(4, 'c'); // after a rewind (history refetch) later ones are dropped
    expect(log.at(100)).toBe('c');
  });
});
