// Pushed events can arrive much faster than the screen refreshes (a flood
// of 10,000 lines comes as dozens of batches within a second). PushQueue
// hands the first push on at once (a Step shows without delay; of a large
// batch, one piece), then holds whatever follows and hands it on at
// animation frames, in order, consecutive event batches merged. While
// pushes keep coming, it hands on at most every third frame (20 times a
// second on a 60 Hz screen), not once per batch, and each turn takes only
// as many events as fit in a few milliseconds (in pieces): what came faster
// waits for the next turn, so a flood scrolls by in many short updates, not
// a few long ones that grow as it goes on. The frames between two turns are
// left to the browser: on a machine with few cores its compositor,
// rasteriser and compiler share the CPUs with the page, and a page that
// takes every frame makes them all late. A push after a quiet frame goes at
// once again. A push may come unparsed (pushLater): the network hands the
// page many Server-Sent Events in one task, and parsing them there would
// make that task as long as the flood is fast; they are parsed in the turn
// that hands them on, inside its budget.

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

/**
 * How the queue shares its turns out: events go in pieces of `piece` until
 * `budget` ms have passed (at least one piece a turn); after a turn, `rest`
 * frames go by before the next one.
 */
export interface Pace {
  piece: number;
  budget: number;
  rest: number;
  clock: () => number;
}

export const defaultPace: Pace = {
  piece: 250,
  budget: 8,
  rest: 2,
  clock: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
};

interface Item {
  name: string;
  /** an unparsed push: made into payload (and events) when its turn comes */
  later?: () => unknown;
  /** the payload; for merged event batches the events, handed on from `at` */
  payload: unknown;
  events?: unknown[];
  at: number;
}

export class PushQueue {
  #items: Item[] = [];
  /** a push was handed on in this frame: hold the next ones until the frame ends */
  #busy = false;
  /** frames still left to the browser after the last turn */
  #rest = 0;
  readonly #deliver: (name: string, payload: unknown) => void;
  readonly #schedule: Schedule;
  readonly #pace: Pace;

  constructor(deliver: (name: string, payload: unknown) => void, schedule: Schedule = nextFrame, pace: Partial<Pace> = {}) {
    this.#deliver = deliver;
    this.#schedule = schedule;
    this.#pace = { ...defaultPace, ...pace };
  }

  push(name: string, payload: unknown): void {
    const last = this.#items[this.#items.length - 1];
    if (name === EventsPushed && Array.isArray(payload)) {
      if (last?.events) for (const e of payload) last.events.push(e);
      else this.#items.push({ name, payload, events: [...payload], at: 0 });
    } else this.#items.push({ name, payload, at: 0 });
    this.#wake();
  }

  /** pushLater queues a push whose payload take() makes when it is handed on (undefined: nothing to hand on). */
  pushLater(name: string, take: () => unknown): void {
    this.#items.push({ name, payload: undefined, later: take, at: 0 });
    this.#wake();
  }

  #wake(): void {
    if (this.#busy) return;
    this.#busy = true;
    this.#handOn(1); // the push that woke the queue, or one piece of a flood's first batch
    this.#rest = 0;
    this.#schedule(() => this.#frame());
  }

  /** at the frame: rest if the last turn was recent, else hand on what was held; while anything is held, hold again. */
  #frame(): void {
    if (this.#items.length === 0) {
      this.#busy = false;
      return;
    }
    this.#schedule(() => this.#frame());
    if (this.#rest > 0) {
      this.#rest--;
      return;
    }
    this.#handOn();
    this.#rest = this.#pace.rest;
  }

  /** handOn hands on items in order, events in pieces, until the turn's budget is spent or `most` items or pieces went. */
  #handOn(most = Infinity): void {
    const { piece, budget, clock } = this.#pace;
    const start = clock();
    for (let n = 0; n < most && this.#items.length; n++) {
      const it = this.#items[0];
      if (it.later && !this.#take(it)) continue;
      if (it.events && it.events.length - it.at > piece) {
        this.#deliver(it.name, it.events.slice(it.at, it.at + piece));
        it.at += piece;
      } else {
        this.#items.shift();
        this.#deliver(it.name, it.events ? (it.at ? it.events.slice(it.at) : it.events) : it.payload);
      }
      if (clock() - start >= budget) return;
    }
  }

  /** take makes a later item's payload; false (the item dropped) when there is none. */
  #take(it: Item): boolean {
    const take = it.later!;
    it.later = undefined;
    it.payload = take();
    if (it.payload === undefined) {
      this.#items.shift();
      return false;
    }
    if (it.name === EventsPushed && Array.isArray(it.payload)) it.events = it.payload;
    return true;
  }

  /** flush hands on everything queued, in order. */
  flush(): void {
    const items = this.#items;
    this.#items = [];
    for (const it of items) {
      if (it.later) {
        it.payload = it.later();
        if (it.payload === undefined) continue;
        if (it.name === EventsPushed && Array.isArray(it.payload)) it.events = it.payload;
      }
      this.#deliver(it.name, it.events ? it.events.slice(it.at) : it.payload);
    }
  }
}
