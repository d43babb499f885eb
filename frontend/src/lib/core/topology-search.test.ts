// The label searches (growLabel, placeLabels) skip places that cannot win
// (bounds, bounding boxes, duplicate places at the border). This checks
// that they still choose exactly what a search of every place chose, on
// cases recorded from that search (fixtures/topology-search.json).

import { describe, expect, it } from 'vitest';
import { connectionsOf } from './connections';
import recorded from './fixtures/topology-search.json';
import { defaultNodes } from './nodes';
import { sampleEvents } from './testdata';
import { edgesOf, growLabel, layoutNodes, placeLabels, type Edge } from './topology';

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
