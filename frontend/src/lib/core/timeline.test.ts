import { describe, expect, it } from 'vitest';
import { isStepped, SnapshotLog, Timeline } from './timeline';
import { sampleEvents } from './testdata';

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
