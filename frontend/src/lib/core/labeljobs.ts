// The topology's label searches as jobs: plain data in, plain data out, so
// they can run in a Web Worker (labels.worker.ts) instead of the frame that
// draws the page, and give exactly what the same calls give in the page.
// A label's size is measured in the page (with its fonts) and sent along.

import type { Later } from './quiet';
import { envelopeTrack, growLabel, placeLabels, type Edge, type Growth, type NodeBox, type Rect } from './topology';

export interface Size {
  w: number;
  h: number;
}

/** PlaceJob places every service's label (placeLabels), clear of where an envelope of the typical size stops. */
export interface PlaceJob {
  kind: 'place';
  edges: Edge[];
  boxes: [string, NodeBox][];
  /** each edge's label size, or its shapes (as placeLabels' size gives them) */
  sizes: (Size | Size[])[];
  bounds: Rect;
  avoid: Rect[];
  gap: number;
  /** the typical envelope ("MAIL FROM"): labels leave its stops free where they can */
  envelope: { w: number; h: number; gap: number };
}

/** GrowJob grows the current edge's label by a line (growLabel). */
export interface GrowJob {
  kind: 'grow';
  base: Rect;
  w2: number;
  h2: number;
  sep: number;
  pad: number;
  boxes: [string, NodeBox][];
  bounds: Rect;
  avoid: Rect[];
  gap: number;
  edge: Edge;
}

export type LabelJob = PlaceJob | GrowJob;

/** Labelled is what placeLabels adds to an edge. */
export type Labelled = Pick<Edge, 'label' | 'labelBox' | 'labelShape' | 'labelOwner' | 'leader'>;

export type LabelResult<J extends LabelJob> = J extends PlaceJob ? Labelled[] : Growth;

/** reserveOf is where an envelope of size w×h stops at both ends of each edge (client to server). */
export function reserveOf(edges: readonly Edge[], boxes: Map<string, NodeBox>, env: PlaceJob['envelope'], bounds: Rect): Rect[] {
  const { w, h, gap } = env;
  return edges.flatMap((e) => {
    const t = envelopeTrack(e, 'C', w, h, boxes, { bounds, gap });
    return [t.start, t.end].map((p) => ({ x: p.x - w / 2, y: p.y - h / 2, w, h }));
  });
}

/** runPlace is placeLabels' answer for the job, edge by edge (in the job's order). */
export function runPlace(j: PlaceJob): Labelled[] {
  const boxes = new Map(j.boxes);
  const reserve = reserveOf(j.edges, boxes, j.envelope, j.bounds);
  const sizeOf = new Map(j.edges.map((e, i) => [e, j.sizes[i]]));
  return placeLabels(j.edges, boxes, (e) => sizeOf.get(e)!, { bounds: j.bounds, avoid: j.avoid, gap: j.gap, reserve }).map((e) => ({
    label: e.label,
    labelBox: e.labelBox,
    labelShape: e.labelShape,
    labelOwner: e.labelOwner,
    leader: e.leader,
  }));
}

/** runGrow is growLabel's answer for the job. */
export function runGrow(j: GrowJob): Growth {
  return growLabel(j.base, j.w2, j.h2, j.sep, j.pad, new Map(j.boxes), { bounds: j.bounds, avoid: j.avoid, gap: j.gap, edge: j.edge });
}

export function runJob<J extends LabelJob>(j: J): LabelResult<J> {
  return (j.kind === 'place' ? runPlace(j) : runGrow(j)) as LabelResult<J>;
}

/** labelled puts a place job's answer on its edges: what placeLabels returns. */
export function labelled(edges: readonly Edge[], out: readonly Labelled[]): Edge[] {
  return edges.map((e, i) => ({ ...e, ...out[i] }));
}

/** The messages between the page and the worker. */
export interface ToLabeller {
  id: number;
  job: LabelJob;
}
export type FromLabeller = { id: number; result: Labelled[] | Growth } | { id: number; error: string };

export interface LabelWorkerLike {
  postMessage(m: ToLabeller): void;
  onmessage: ((e: MessageEvent<FromLabeller>) => void) | null;
  onerror: ((e: Event) => void) | null;
  terminate?(): void;
}

/**
 * Labeller runs label jobs in a worker, and in the page (a task of its
 * own, after the frame) when there is none: no Worker, a worker that fails
 * to load, or one that has not answered its first job after watchdog ms.
 * Either way the answer is the same. A job goes out when `later` says
 * (at once by default; the topology waits for a flood to end: whenQuiet).
 */
export class Labeller {
  #worker: LabelWorkerLike | undefined;
  #pending = new Map<number, { job: LabelJob; resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  #next = 1;
  #answered = false;
  #watch: ReturnType<typeof setTimeout> | undefined;
  readonly #watchdog: number;

  readonly #onFallBack: (() => void) | undefined;
  readonly #later: Later;

  /** onFallBack is called when a worker that was started is given up. */
  constructor(start: () => LabelWorkerLike | undefined, watchdog = 4000, onFallBack?: () => void, later: Later = (f) => f()) {
    this.#watchdog = watchdog;
    this.#onFallBack = onFallBack;
    this.#later = later;
    try {
      this.#worker = start();
    } catch {
      this.#worker = undefined;
    }
    if (!this.#worker) return;
    this.#worker.onmessage = (e) => {
      this.#answered = true;
      clearTimeout(this.#watch);
      const m = e.data;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    };
    this.#worker.onerror = () => this.#fallBack();
  }

  /** inWorker tells whether jobs go to a worker (else they run in the page). */
  get inWorker(): boolean {
    return !!this.#worker;
  }

  run<J extends LabelJob>(job: J): Promise<LabelResult<J>> {
    return new Promise((resolve, reject) => this.#later(() => this.#send(job, resolve as (r: unknown) => void, reject)));
  }

  #send(job: LabelJob, resolve: (r: unknown) => void, reject: (e: Error) => void): void {
    if (!this.#worker) {
      setTimeout(() => this.#inPage(job, resolve, reject), 0);
      return;
    }
    const id = this.#next++;
    this.#pending.set(id, { job, resolve, reject });
    this.#worker.postMessage({ id, job });
    if (!this.#answered && this.#watch === undefined) this.#watch = setTimeout(() => this.#fallBack(), this.#watchdog);
  }

  #inPage(job: LabelJob, resolve: (r: unknown) => void, reject: (e: Error) => void) {
    try {
      resolve(runJob(job));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** fallBack gives up on the worker: what it was asked is done in the page. */
  #fallBack() {
    if (!this.#worker || this.#answered) return;
    clearTimeout(this.#watch);
    this.#worker.onmessage = null;
    this.#worker.onerror = null;
    this.#worker.terminate?.();
    this.#worker = undefined;
    const left = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of left) setTimeout(() => this.#inPage(p.job, p.resolve, p.reject), 0);
    this.#onFallBack?.();
  }

  dispose() {
    clearTimeout(this.#watch);
    this.#worker?.terminate?.();
    this.#worker = undefined;
  }
}
