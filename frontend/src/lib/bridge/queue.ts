// Pushed events can arrive much faster than the screen refreshes (a flood
// of 10,000 lines comes as dozens of batches within a second). PushQueue
// hands the first push on at once (a Step shows without delay), then holds
// whatever follows until the next animation frame and hands it on in
// order, consecutive event batches merged: the UI updates at most once per
// frame, not once per batch.

import { EventsPushed } from './events';

export type Schedule = (f: () => void) => void;

/** nextFrame runs f before the next paint, or after 100 ms where there are no frames (a hidden tab). */
export const nextFrame: Schedule = (f) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    f();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  setTimeout(run, 100);
};

/** now runs f at once (tests, and transports that want no delay). */
export const now: Schedule = (f) => f();

export class PushQueue {
  #items: { name: string; parts: unknown[] }[] = [];
  /** a push was handed on in this frame: hold the next ones until the frame ends */
  #busy = false;
  readonly #deliver: (name: string, payload: unknown) => void;
  readonly #schedule: Schedule;

  constructor(deliver: (name: string, payload: unknown) => void, schedule: Schedule = nextFrame) {
    this.#deliver = deliver;
    this.#schedule = schedule;
  }

  push(name: string, payload: unknown): void {
    if (!this.#busy) {
      this.#busy = true;
      this.#schedule(() => this.#frame());
      this.#deliver(name, payload);
      return;
    }
    const last = this.#items[this.#items.length - 1];
    if (name === EventsPushed && last?.name === EventsPushed && Array.isArray(payload) && Array.isArray(last.parts[0])) last.parts.push(payload);
    else this.#items.push({ name, parts: [payload] });
  }

  /** at the frame: hand on what was held; if there was something, hold again until the next one. */
  #frame(): void {
    if (this.#items.length === 0) {
      this.#busy = false;
      return;
    }
    this.#schedule(() => this.#frame());
    this.flush();
  }

  /** flush hands on everything queued, in order. */
  flush(): void {
    const items = this.#items;
    this.#items = [];
    for (const it of items) {
      const payload = it.name === EventsPushed && it.parts.length > 1 ? (it.parts as unknown[][]).flat() : it.parts[0];
      this.#deliver(it.name, payload);
    }
  }
}
