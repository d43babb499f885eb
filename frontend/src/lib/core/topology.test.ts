import { describe, expect, it } from 'vitest';
import type { ConnInfo } from './connections';
import { bezier, contains, intersects, segmentHitsRect, subCurve, type Rect } from './geometry';
import { defaultNodes } from './nodes';
import {
  addrSize,
  edgesOf,
  envelopeTrack,
  estimate,
  growLabel,
  layoutScene,
  meta,
  placeLabels,
  trackAt,
  type Edge,
  type NodeBox,
} from './topology';
import type { NodeInfo } from './types';
import tracks from './fixtures/envelope-tracks.json';

const text = { name: (n: NodeInfo) => n.id, frame: (d: string) => `Provider · ${d}` };
const rectOf = (b: NodeBox): Rect => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h });

let connId = 0;
const conn = (client: string, server: string, proto: string, port: number, encrypted = false): ConnInfo => ({
  conn: ++connId,
  client,
  server,
  proto,
  port,
  addr: `127.0.0.1:${30000 + port}`,
  clientAddr: '',
  openSeq: connId,
  closed: false,
  encrypted,
  closeSeq: 0,
  encryptedSeq: 0,
});

// The connections of send-pop3: submission, DNS, relay, LMTP, POP3.
const sendPop3 = () => [
  conn('alice-laptop', 'smtp.example.org', 'submission', 587, true),
  conn('smtp.example.org', 'dns', 'dns', 53),
  conn('smtp.example.org', 'mx.example.net', 'smtp', 25, true),
  conn('mx.example.net', 'dns', 'dns', 53),
  conn('mx.example.net', 'mda.example.net', 'lmtp', 24),
  conn('bob-laptop', 'mail.example.net', 'pop3', 110, true),
];

describe('geometry', () => {
  it('cuts a piece out of a curve', () => {
    const a = { x: 0, y: 0 };
    const c = { x: 50, y: 80 };
    const b = { x: 100, y: 0 };
    const [p0, ctrl, p1] = subCurve(a, c, b, 0.2, 0.7);
    expect(p0).toEqual(bezier(a, c, b, 0.2));
    expect(p1).toEqual(bezier(a, c, b, 0.7));
    const mid = bezier(p0, ctrl, p1, 0.5);
    const want = bezier(a, c, b, 0.45);
    expect(mid.x).toBeCloseTo(want.x, 6);
    expect(mid.y).toBeCloseTo(want.y, 6);
  });

  it('tells a segment through a rectangle from one beside it', () => {
    const r = { x: 10, y: 10, w: 10, h: 10 };
    expect(segmentHitsRect({ x: 0, y: 15 }, { x: 30, y: 15 }, r)).toBe(true);
    expect(segmentHitsRect({ x: 0, y: 0 }, { x: 30, y: 30 }, r)).toBe(true);
    expect(segmentHitsRect({ x: 0, y: 25 }, { x: 30, y: 25 }, r)).toBe(false);
    expect(segmentHitsRect({ x: 0, y: 0 }, { x: 9, y: 30 }, r)).toBe(false);
  });
});

describe('topology scene', () => {
  it('grows the text with the panel, up to the cap, and fits every text in its box', () => {
    const small = layoutScene(defaultNodes, { w: 690, h: 240 }, text);
    const mid = layoutScene(defaultNodes, { w: 860, h: 255 }, text);
    const big = layoutScene(defaultNodes, { w: 1900, h: 600 }, text, estimate, { maxName: 30 });
    expect(small.name).toBeLessThan(mid.name);
    expect(mid.name).toBeLessThan(big.name);
    expect(big.name).toBeLessThanOrEqual(30);
    expect(mid.addr).toBe(addrSize(mid.name));
    for (const s of [small, mid, big]) {
      const panel = { x: 0, y: 0, w: s.w, h: s.h };
      const all = [...s.boxes.values()];
      for (const b of all) {
        expect(contains(panel, rectOf(b)), `${b.id} inside`).toBe(true);
        const name = estimate(b.name, { size: s.name, weight: s.nameWeight }).w;
        const m = estimate(b.meta, { size: s.addr }).w;
        expect(Math.max(name, m), `${b.id}'s text fits`).toBeLessThanOrEqual(b.w);
        expect(b.metaY, 'the address line under the name').toBeGreaterThan(b.nameY);
        expect(b.metaY).toBeLessThan(b.h);
        for (const o of all) if (o !== b) expect(intersects(rectOf(b), rectOf(o)), `${b.id} / ${o.id}`).toBe(false);
      }
      for (const f of s.frames) expect(contains(f, f.titleBox)).toBe(true);
    }
  });

  it('uses the width: the nodes span the panel', () => {
    const s = layoutScene(defaultNodes, { w: 860, h: 255 }, text);
    const xs = [...s.boxes.values()].flatMap((b) => [b.x - b.w / 2, b.x + b.w / 2]);
    expect((Math.max(...xs) - Math.min(...xs)) / s.w).toBeGreaterThan(0.95);
  });

  it('a node says its role and address', () => {
    expect(meta(defaultNodes[1])).toMatch(/^MSA\s·\s127\.0\.0\.1$/);
  });

  it('keeps the corner beside Bob’s mail server free when Bob has two devices', () => {
    const s = layoutScene(defaultNodes, { w: 860, h: 255 }, text);
    const mail = s.boxes.get('mail.example.net')!;
    for (const id of ['bob-laptop', 'bob-phone']) expect(s.boxes.get(id)!.y).toBeLessThan(mail.y - mail.h);
  });
});

describe('topology edges, labels and the envelope', () => {
  const scene = layoutScene(defaultNodes, { w: 860, h: 255 }, text);
  const bounds = { x: 0, y: 0, w: scene.w, h: scene.h };
  const nodes = [...scene.boxes.values()];
  const edges = edgesOf(sendPop3(), scene.boxes);
  const labelSize = () => ({ w: 70, h: 18 });
  const placed = placeLabels(edges, scene.boxes, labelSize, { bounds, avoid: scene.frames.map((f) => f.titleBox) });

  it('routes edges around the nodes between their ends', () => {
    expect(edges).toHaveLength(6);
    for (const e of edges) {
      const others = nodes.filter((b) => b.id !== e.client && b.id !== e.server).map(rectOf);
      for (let t = 0; t <= 1; t += 0.05) {
        const p = bezier(e.from, e.ctrl, e.to, t);
        for (const r of others) expect(p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h, `${e.key} at ${t}`).toBe(false);
      }
    }
  });

  it('marks an edge encrypted when its newest connection is', () => {
    expect(edges.find((e) => e.proto === 'pop3')!.encrypted).toBe(true);
    expect(edges.find((e) => e.proto === 'lmtp')!.encrypted).toBe(false);
  });

  it('puts labels beside their edges, clear of nodes, titles and each other', () => {
    // One label for each service: both DNS edges share one.
    const owners = placed.filter((e) => e.labelOwner);
    expect(owners.map((e) => e.key)).toHaveLength(5);
    expect(placed.filter((e) => e.server === 'dns').map((e) => e.labelBox)).toSatisfy(([a, b]) => a === b);
    const boxes = owners.map((e) => e.labelBox!);
    for (const [i, r] of boxes.entries()) {
      expect(contains(bounds, r)).toBe(true);
      for (const b of nodes) expect(intersects(r, rectOf(b)), `${owners[i].key} on ${b.id}`).toBe(false);
      for (const f of scene.frames) expect(intersects(r, f.titleBox)).toBe(false);
      for (const [j, o] of boxes.entries()) if (i !== j) expect(intersects(r, o), `${owners[i].key} / ${owners[j].key}`).toBe(false);
    }
    // A label away from its edge has a leader to it.
    for (const e of placed) {
      const near = Math.min(...Array.from({ length: 21 }, (_, k) => bezier(e.from, e.ctrl, e.to, k / 20)).map((p) => distTo(p, e.labelBox!)));
      if (near > 8) expect(e.leader, `${e.key} is ${near.toFixed(0)} px away`).toBeDefined();
    }
  });

  it('grows the current label into free room', () => {
    const e = placed[0];
    const avoid = placed.filter((o) => o !== e).map((o) => o.labelBox!);
    const g = growLabel(e.labelBox!, 140, 16, 4, 3, scene.boxes, { bounds, avoid });
    expect(g.box.w).toBeGreaterThanOrEqual(140);
    expect(contains(bounds, g.box)).toBe(true);
    for (const b of nodes) expect(intersects(g.box, rectOf(b)), b.id).toBe(false);
    for (const o of avoid) expect(intersects(g.box, o)).toBe(false);
  });

  it('moves the envelope towards the receiver and stops it on no node and no label', () => {
    const avoid = placed.filter((e) => e.labelOwner).map((e) => e.labelBox!);
    for (const e of placed) {
      for (const dir of ['C', 'S'] as const) {
        const tr = envelopeTrack(e, dir, 80, 20, scene.boxes, { bounds, avoid });
        expect(trackAt(e, tr, 0)).toEqual(tr.onPath ? bezier(e.from, e.ctrl, e.to, tr.t0) : tr.start);
        const end = trackAt(e, tr, 1);
        const r = { x: end.x - 40, y: end.y - 10, w: 80, h: 20 };
        for (const b of nodes) expect(intersects(r, rectOf(b)), `${e.key} ${dir} on ${b.id}`).toBe(false);
        for (const o of avoid) expect(intersects(r, o), `${e.key} ${dir} on a label`).toBe(false);
        // It travels towards the receiver.
        const to = rectOf(dir === 'C' ? scene.boxes.get(e.server)! : scene.boxes.get(e.client)!);
        expect(distTo(end, to), `${e.key} ${dir}`).toBeLessThanOrEqual(distTo(tr.start, to));
      }
    }
  });
});

describe('envelopeTrack', () => {
  // The tracks the full search (every place around the end) found, before it
  // learnt to pass over places that cannot win: the live world's flood as the
  // page asked, and random services with envelopes of several sizes.
  it('finds what the full search found', () => {
    for (const c of tracks.cases) {
      const boxes = new Map(tracks.scenes[c.scene] as [string, NodeBox][]);
      expect(envelopeTrack(c.edge as Edge, c.dir as 'C' | 'S', c.w, c.h, boxes, c.opts), `${c.edge.key} ${c.dir} ${c.w}×${c.h}`).toEqual(c.track);
    }
  });
});

function distTo(p: { x: number; y: number }, r: Rect): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.w));
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.h));
  return Math.hypot(dx, dy);
}
