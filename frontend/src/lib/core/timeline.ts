// The timeline keeps every released event of a run and a view cursor over
// the stepped ones. "Back" and "Step" inside history only move the cursor;
// only a step at the head asks the Go side to release a new line.

import type { MailEvent } from './types';

/** isStepped tells the events the conductor holds for a step (event.Gated in Go). */
export function isStepped(ev: MailEvent): boolean {
  return ev.kind === 'line' || ev.kind === 'packet' || ev.kind === 'action' || ev.kind === 'skip';
}

export interface AppendResult {
  added: number;
  /** gap is true when seqs are missing before the batch: fetch history to fill it. */
  gap: boolean;
  /** the new events, in seq order */
  fresh: readonly MailEvent[];
  /** true when the batch landed before known events: indexes must start again from events */
  rebuilt: boolean;
}

export class Timeline {
  #events: MailEvent[] = [];
  #steps: number[] = []; // indexes into #events of stepped events
  #cursor = 0; // how many steps the view shows
  #stepEvents: MailEvent[] = []; // cache of the stepped events, rebuilt when steps change

  get events(): readonly MailEvent[] {
    return this.#events;
  }

  /** length is the number of stepped events released so far (the head). */
  get length(): number {
    return this.#steps.length;
  }

  get cursor(): number {
    return this.#cursor;
  }

  get atHead(): boolean {
    return this.#cursor === this.#steps.length;
  }

  get lastSeq(): number {
    const n = this.#events.length;
    return n ? this.#events[n - 1].seq : 0;
  }

  /** step returns the i-th stepped event (0-based). */
  step(i: number): MailEvent | undefined {
    const idx = this.#steps[i];
    return idx === undefined ? undefined : this.#events[idx];
  }

  /** cursorEvent is the last step the view shows: the "current" line. */
  get cursorEvent(): MailEvent | undefined {
    return this.step(this.#cursor - 1);
  }

  /**
   * append adds a batch; a view at the head follows it, a view in the past
   * stays. A batch in seq order after what is known (every push, every
   * page) costs O(batch) and is not copied; seqs already known are dropped.
   */
  append(batch: readonly MailEvent[]): AppendResult {
    const follow = this.atHead;
    const last = this.lastSeq;
    let ordered = true;
    for (let i = 0, prev = last; i < batch.length; prev = batch[i].seq, i++) {
      if (batch[i].seq <= prev) {
        ordered = false;
        break;
      }
    }
    // Out of order or overlapping (rare): drop what is known, once each.
    const fresh: readonly MailEvent[] = ordered ? batch : this.#unknown(batch);
    if (fresh.length === 0) return { added: 0, gap: false, fresh, rebuilt: false };
    let min = Infinity;
    for (const e of fresh) min = Math.min(min, e.seq);
    const gap = this.#events.length > 0 && min > last + 1;
    const inOrder = ordered || fresh.every((e, i) => e.seq > (i ? fresh[i - 1].seq : last));
    if (inOrder) {
      for (const e of fresh) {
        if (isStepped(e)) {
          this.#steps.push(this.#events.length);
          this.#stepEvents.push(e);
        }
        this.#events.push(e);
      }
    } else {
      this.#stepEvents = [];
      this.#events = [...this.#events, ...fresh].sort((a, b) => a.seq - b.seq);
      this.#steps = [];
      this.#events.forEach((e, i) => isStepped(e) && this.#steps.push(i));
    }
    if (follow) this.#cursor = this.#steps.length;
    return { added: fresh.length, gap, fresh: inOrder ? fresh : [...fresh].sort((a, b) => a.seq - b.seq), rebuilt: !inOrder };
  }

  /** unknown is the events of batch whose seq is neither released nor earlier in the batch. */
  #unknown(batch: readonly MailEvent[]): MailEvent[] {
    const seen = new Set<number>();
    return batch.filter((e) => {
      if (seen.has(e.seq) || this.find(e.seq)) return false;
      seen.add(e.seq);
      return true;
    });
  }

  /** forward moves the view one step towards the head; false at the head. */
  forward(): boolean {
    if (this.atHead) return false;
    this.#cursor++;
    return true;
  }

  back(): boolean {
    if (this.#cursor === 0) return false;
    this.#cursor--;
    return true;
  }

  seek(n: number): void {
    this.#cursor = Math.max(0, Math.min(this.#steps.length, Math.round(n)));
  }

  reset(): void {
    this.#events = [];
    this.#steps = [];
    this.#stepEvents = [];
    this.#cursor = 0;
  }

  /** visibleEnd is the index into events where the view stops (exclusive). */
  get visibleEnd(): number {
    return this.atHead ? this.#events.length : this.#steps[this.#cursor];
  }

  /** visible is every event the view shows: all events before the next unseen step. */
  visible(): MailEvent[] {
    return this.#events.slice(0, this.visibleEnd);
  }

  /** visibleSteps is the stepped events the view shows, in order (a copy: O(cursor)). */
  visibleSteps(): MailEvent[] {
    return this.stepsIn(0, this.#cursor);
  }

  /** stepsIn is the stepped events from index start to end (exclusive), cut to the view. */
  stepsIn(start: number, end: number): MailEvent[] {
    if (this.#stepEvents.length !== this.#steps.length) this.#stepEvents = this.#steps.map((i) => this.#events[i]);
    return this.#stepEvents.slice(Math.max(0, start), Math.min(end, this.#cursor));
  }

  /** limitSeq is the highest seq the view shows. */
  get limitSeq(): number {
    return this.limitSeqAt(this.#cursor);
  }

  /** limitSeqAt is the highest seq a view with cursor n would show (0 for none). */
  limitSeqAt(n: number): number {
    if (n < 0) return 0;
    const end = n >= this.#steps.length ? this.#events.length : this.#steps[n];
    return end ? this.#events[end - 1].seq : 0;
  }

  /** find returns the event with this seq, if released. */
  find(seq: number): MailEvent | undefined {
    let lo = 0;
    let hi = this.#events.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.#events[mid].seq;
      if (s === seq) return this.#events[mid];
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** stepIndexOf finds the step number (1-based cursor value) of a stepped event. */
  stepIndexOf(seq: number): number {
    let lo = 0;
    let hi = this.#steps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.#events[this.#steps[mid]].seq;
      if (s === seq) return mid + 1;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** SnapshotLog remembers each snapshot with the seq it arrived at, so a view in the past shows the past. */
export class SnapshotLog<T> {
  #items: { seq: number; value: T }[] = [];

  add(seq: number, value: T): void {
    while (this.#items.length && this.#items[this.#items.length - 1].seq > seq) this.#items.pop();
    this.#items.push({ seq, value });
  }

  /** at returns the latest snapshot taken at or before seq, or the first one. */
  at(seq: number): T | undefined {
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#items[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return (lo ? this.#items[lo - 1] : this.#items[0])?.value;
  }

  clear(): void {
    this.#items = [];
  }
}
