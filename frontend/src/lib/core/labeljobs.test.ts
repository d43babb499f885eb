// The label searches as jobs (for the topology's worker) give what the calls
// they replace give in the page: the flood's recorded layout, random cases,
// through a worker (messages structured-cloned as a real one clones them)
// and in the page when the worker cannot be used.

import { describe, expect, it, vi } from 'vitest';
import { connectionsOf } from './connections';
import flood from './fixtures/topology-flood.json';
import { Labeller, labelled, reserveOf, runGrow, runJob, runPlace, type FromLabeller, type GrowJob, type LabelWorkerLike, type PlaceJob, type ToLabeller } from './labeljobs';
import { defaultNodes } from './nodes';
import { sampleEvents } from './testdata';
import { edgesOf, envelopeTrack, growLabel, layoutNodes, placeLabels, type Edge, type NodeBox } from './topology';

const floodBoxes = flood.boxes as [string, NodeBox][];
const floodEdges = flood.edges as unknown as Edge[];
// The flood's labels were laid out with text of this size (the gap is 0.22 of it).
const a = flood.opts.gap / 0.22;
const typical = { w: flood.opts.reserve[0].w, h: flood.opts.reserve[0].h, gap: 0.2 * a };

function floodJob(): PlaceJob {
  return {
    kind: 'place',
    edges: structuredClone(floodEdges),
    boxes: structuredClone(floodBoxes),
    sizes: flood.sizes,
    bounds: flood.opts.bounds,
    avoid: flood.opts.avoid,
    gap: flood.opts.gap,
    envelope: typical,
  };
}

/** inPage is the computation the topology made in the page before the worker, as it made it. */
function inPage(j: PlaceJob): Edge[] {
  const boxes = new Map(j.boxes);
  const reserve = j.edges.flatMap((e) => {
    const t = envelopeTrack(e, 'C', j.envelope.w, j.envelope.h, boxes, { bounds: j.bounds, gap: j.envelope.gap });
    return [t.start, t.end].map((p) => ({ x: p.x - j.envelope.w / 2, y: p.y - j.envelope.h / 2, w: j.envelope.w, h: j.envelope.h }));
  });
  const size = (e: Edge) => j.sizes[j.edges.indexOf(e)];
  return placeLabels(j.edges, boxes, size, { bounds: j.bounds, avoid: j.avoid, gap: j.gap, reserve });
}

/** randomJobs are place jobs on the default world with random services and label sizes. */
function randomJobs(): PlaceJob[] {
  let seed = 3;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const boxes = layoutNodes(defaultNodes);
  const ids = [...boxes.keys()];
  return Array.from({ length: 8 }, (_, i) => {
    const conns = [...connectionsOf(sampleEvents).values()];
    for (let k = 0; k < 2 + Math.floor(rnd() * 8); k++) {
      conns.push({ ...conns[0], conn: 100 + k, client: ids[Math.floor(rnd() * ids.length)], server: ids[Math.floor(rnd() * ids.length)], proto: ['smtp', 'imap', 'pop3'][k % 3], port: [25, 143, 110, 587][Math.floor(rnd() * 4)] });
    }
    const edges = edgesOf(conns, boxes);
    return {
      kind: 'place' as const,
      edges,
      boxes: [...boxes],
      sizes: edges.map((e) => (i % 2 ? { w: 40 + (e.port % 7) * 5, h: 18 } : [{ w: 60, h: 18 }, { w: 40, h: 30 }])),
      bounds: { x: 1, y: 1, w: 858, h: 348 },
      avoid: [{ x: 100, y: 5, w: 120, h: 16 }],
      gap: 3,
      envelope: { w: 40 + rnd() * 40, h: 18, gap: 2.6 },
    };
  });
}

function growJobs(): GrowJob[] {
  const boxes = [...layoutNodes(defaultNodes)];
  let seed = 9;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: 40 }, () => {
    const from = { x: rnd() * 860, y: rnd() * 350 };
    const to = { x: rnd() * 860, y: rnd() * 350 };
    return {
      kind: 'grow' as const,
      base: { x: rnd() * 800, y: rnd() * 320, w: 30 + rnd() * 60, h: 14 + rnd() * 10 },
      w2: 60 + rnd() * 120,
      h2: 16,
      sep: 4,
      pad: 3,
      boxes,
      bounds: { x: 0, y: 0, w: 860, h: 350 },
      avoid: Array.from({ length: Math.floor(rnd() * 8) }, () => ({ x: rnd() * 800, y: rnd() * 320, w: 20 + rnd() * 100, h: 10 + rnd() * 30 })),
      gap: 3,
      edge: { from, to, ctrl: { x: (from.x + to.x) / 2 + 30, y: (from.y + to.y) / 2 } } as Edge,
    };
  });
}

describe('label jobs', () => {
  it('place the flood’s labels where the page placed them', () => {
    const j = floodJob();
    // The stops the page reserved for the typical envelope are found again.
    expect(reserveOf(j.edges, new Map(j.boxes), j.envelope, j.bounds)).toEqual(flood.opts.reserve);
    const got = labelled(j.edges, runPlace(j)).map((e) => ({ key: e.key, labelBox: e.labelBox, labelShape: e.labelShape, labelOwner: e.labelOwner, leader: e.leader ?? null }));
    expect(got).toEqual(flood.placed);
  });

  it('place labels as the computation in the page did, on random services', () => {
    for (const j of [floodJob(), ...randomJobs()]) expect(labelled(j.edges, runPlace(j))).toEqual(inPage(j));
  });

  it('grow a label as growLabel does', () => {
    for (const j of growJobs()) {
      expect(runGrow(j)).toEqual(growLabel(j.base, j.w2, j.h2, j.sep, j.pad, new Map(j.boxes), { bounds: j.bounds, avoid: j.avoid, gap: j.gap, edge: j.edge }));
    }
    const boxes = new Map(floodBoxes);
    for (const c of flood.grow) {
      const j = { kind: 'grow', base: c.base, w2: c.w2, h2: c.h2, sep: c.sep, pad: c.pad, boxes: floodBoxes, ...(c.opts as object) } as unknown as GrowJob;
      expect(JSON.parse(JSON.stringify(runJob(j)))).toEqual(c.grown);
      expect(runJob(j)).toEqual(growLabel(c.base, c.w2, c.h2, c.sep, c.pad, boxes, c.opts as unknown as Parameters<typeof growLabel>[6]));
    }
  });
});

/** fakeWorker answers as labels.worker.ts does, a task later, with every message cloned both ways. */
function fakeWorker(opts: { fail?: boolean; silent?: boolean } = {}) {
  const w: LabelWorkerLike & { got: number; terminated: boolean } = {
    onmessage: null,
    onerror: null,
    got: 0,
    terminated: false,
    postMessage(m: ToLabeller) {
      w.got++;
      const { id, job } = structuredClone(m);
      setTimeout(() => {
        if (opts.fail) return w.onerror?.(new Event('error'));
        if (opts.silent) return;
        const out: FromLabeller = structuredClone({ id, result: runJob(job) });
        w.onmessage?.({ data: out } as MessageEvent<FromLabeller>);
      }, 1);
    },
    terminate() {
      w.terminated = true;
    },
  };
  return w;
}

describe('Labeller', () => {
  const jobs = () => [floodJob(), ...randomJobs().slice(0, 3)];

  it('gives through a worker what the jobs give in the page', async () => {
    const w = fakeWorker();
    const l = new Labeller(() => w);
    expect(l.inWorker).toBe(true);
    for (const j of jobs()) expect(labelled(j.edges, await l.run(j))).toEqual(inPage(j));
    for (const j of growJobs().slice(0, 10)) expect(await l.run(j)).toEqual(runGrow(j));
    expect(w.got).toBe(14);
  });

  it('works in the page without a worker, or when it fails to load or never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const none = new Labeller(() => undefined);
      const failing = fakeWorker({ fail: true });
      const broken = new Labeller(() => failing);
      const silent = fakeWorker({ silent: true });
      const late = new Labeller(() => silent, 100);
      const thrown = new Labeller(() => {
        throw new Error('no workers here');
      });
      for (const l of [none, broken, late, thrown]) {
        const js = jobs();
        const answers = Promise.all(js.map((j) => l.run(j)));
        await vi.advanceTimersByTimeAsync(200);
        const got = await answers;
        js.forEach((j, i) => expect(labelled(j.edges, got[i])).toEqual(inPage(j)));
        expect(l.inWorker).toBe(false);
      }
      expect(failing.terminated && silent.terminated).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a job when its scheduler says (the topology holds them while a flood lasts)', async () => {
    const w = fakeWorker();
    const held: (() => void)[] = [];
    const l = new Labeller(() => w, 4000, undefined, (f) => void held.push(f));
    const j = floodJob();
    const answer = l.run(j);
    expect(w.got).toBe(0);
    expect(held).toHaveLength(1);
    held[0]();
    expect(w.got).toBe(1);
    expect(labelled(j.edges, await answer)).toEqual(inPage(j));
  });
});
