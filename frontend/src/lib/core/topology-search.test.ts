// The label searches (growLabel, placeLabels) skip places that cannot win
// (bounds, bounding boxes, duplicate places at the border). This checks
// that they still choose exactly what a search of every place chose, on
// cases recorded from that search (fixtures/topology-search.json).

import { describe, expect, it } from 'vitest';
import { connectionsOf } from './connections';
import flood from './fixtures/topology-flood.json';
import recorded from './fixtures/topology-search.json';
import { segmentHitsRect, type Point, type Rect } from './geometry';
import { defaultNodes } from './nodes';
import { sampleEvents } from './testdata';
import { edgesOf, growLabel, layoutNodes, placeLabels, type Edge, type NodeBox } from './topology';

/** A seeded generator: the same cases every time. */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const boxes = layoutNodes(defaultNodes);
const bounds = { x: 0, y: 0, w: 860, h: 350 };

function growCases() {
  const rnd = random(1);
  return Array.from({ length: 150 }, (_, i) => {
    const base = { x: rnd() * 800, y: rnd() * 320, w: 30 + rnd() * 60, h: 14 + rnd() * 10 };
    const avoid = Array.from({ length: Math.floor(rnd() * 8) }, () => ({ x: rnd() * 800, y: rnd() * 320, w: 20 + rnd() * 100, h: 10 + rnd() * 30 }));
    const from = { x: rnd() * 860, y: rnd() * 350 };
    const to = { x: rnd() * 860, y: rnd() * 350 };
    const edge = i % 3 ? ({ from, to, ctrl: { x: (from.x + to.x) / 2 + 30, y: (from.y + to.y) / 2 } } as Edge) : undefined;
    const w2 = 60 + rnd() * 120;
    return () => growLabel(base, w2, 16, 4, 3, boxes, { bounds, avoid, gap: 3, edge });
  });
}

function placeCases() {
  const rnd = random(5);
  const ids = [...boxes.keys()];
  return Array.from({ length: 12 }, (_, i) => {
    const conns = [...connectionsOf(sampleEvents).values()];
    const n = 2 + Math.floor(rnd() * 10);
    for (let k = 0; k < n; k++) {
      const a = ids[Math.floor(rnd() * ids.length)];
      const b = ids[Math.floor(rnd() * ids.length)];
      conns.push({ ...conns[0], conn: 100 + k, client: a, server: b, proto: ['smtp', 'imap', 'pop3'][k % 3], port: [25, 143, 110, 587][Math.floor(rnd() * 4)] });
    }
    const edges = edgesOf(conns, boxes);
    // Small labels, labels of two shapes, and labels too big to sit beside their edges.
    const size = (e: Edge) => (i % 3 === 2 ? { w: 200 + (e.port % 7) * 20, h: 60 } : i % 2 ? { w: 40 + (e.port % 7) * 5, h: 18 } : [{ w: 60, h: 18 }, { w: 40, h: 30 }]);
    const opts = { bounds: { x: 1, y: 1, w: 858, h: 348 }, avoid: [{ x: 100, y: 5, w: 120, h: 16 }], gap: 3, reserve: [{ x: 400, y: 150, w: 60, h: 20 }] };
    return () => placeLabels(edges, boxes, size, opts).map((e) => ({ key: e.key, labelBox: e.labelBox, labelShape: e.labelShape, labelOwner: e.labelOwner, leader: e.leader }));
  });
}

describe('label searches choose what a search of every place chose', () => {
  it('growLabel', () => {
    const got = growCases().map((f) => f());
    expect(got).toEqual(recorded.grow);
  });

  it('placeLabels', () => {
    const got = placeCases().map((f) => f());
    expect(got).toEqual(recorded.place);
  });
});

describe('the flood in the browser', () => {
  // The labels of the live world's three services (SMTP 25, DNS 53, LMTP 24)
  // as the page laid them out in the browser flood (issue #17), recorded
  // before placeLabels remembered the placements its orders share.
  it('placeLabels places its labels where it did', () => {
    const boxes = new Map(flood.boxes as [string, NodeBox][]);
    const edges = flood.edges as unknown as Edge[];
    const size = (e: Edge) => flood.sizes[edges.findIndex((x) => x.key === e.key)];
    const got = placeLabels(edges, boxes, size, flood.opts).map((e) => ({ key: e.key, labelBox: e.labelBox, labelShape: e.labelShape, labelOwner: e.labelOwner, leader: e.leader ?? null }));
    expect(got).toEqual(flood.placed);
  });

  // The current edge's label growing a line ("here 127.0.0.1:…") beside
  // each place the envelope stopped at, as the page grew it then.
  it('growLabel grows the current label where it did', () => {
    const boxes = new Map(flood.boxes as [string, NodeBox][]);
    for (const c of flood.grow) {
      const g = growLabel(c.base, c.w2, c.h2, c.sep, c.pad, boxes, c.opts as unknown as Parameters<typeof growLabel>[6]);
      expect(JSON.parse(JSON.stringify(g))).toEqual(c.grown);
    }
  });
});

/** clipReference is segmentHitsRect as it was written first (a list of the four sides), to compare with. */
function clipReference(p: Point, q: Point, r: Rect): boolean {
  const inside = (a: Point) => a.x > r.x && a.x < r.x + r.w && a.y > r.y && a.y < r.y + r.h;
  if (inside(p) || inside(q)) return true;
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const sides: [number, number][] = [
    [-dx, p.x - r.x],
    [dx, r.x + r.w - p.x],
    [-dy, p.y - r.y],
    [dy, r.y + r.h - p.y],
  ];
  for (const [pp, qq] of sides) {
    if (pp === 0) {
      if (qq <= 0) return false;
      continue;
    }
    const t = qq / pp;
    if (pp < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

describe('segmentHitsRect', () => {
  it('answers as the clipping it replaces, for random, axis-parallel and touching segments', () => {
    const rnd = random(11);
    // Coordinates on a coarse grid half the time, so segments run along sides and end on corners.
    const c = () => (rnd() < 0.5 ? Math.round(rnd() * 10) * 10 : rnd() * 100);
    let hits = 0;
    for (let i = 0; i < 20000; i++) {
      const r = { x: c(), y: c(), w: Math.round(rnd() * 5) * 10, h: Math.round(rnd() * 5) * 10 };
      const p = { x: c(), y: c() };
      const q = i % 4 === 0 ? { x: p.x, y: c() } : i % 4 === 1 ? { x: c(), y: p.y } : { x: c(), y: c() };
      const want = clipReference(p, q, r);
      expect(segmentHitsRect(p, q, r), JSON.stringify({ p, q, r })).toBe(want);
      if (want) hits++;
    }
    expect(hits).toBeGreaterThan(1000); // both answers were tried often
    expect(hits).toBeLessThan(19000);
  });
});
