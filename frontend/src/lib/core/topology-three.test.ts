import { describe, expect, it } from 'vitest';
import type { ConnInfo } from './connections';
import { contains, intersects, polylineHitsRect, sample, type Rect } from './geometry';
import { defaultNodes, laneOrder } from './nodes';
import { edgesOf, estimate, layoutScene, placeLabels, shownNodes, type NodeBox, type Scene } from './topology';
import type { NodeInfo } from './types';

// A world with a third provider (scenario three-providers): example.com's five nodes besides product.md's.
const com: NodeInfo[] = [
  { id: 'smtp.example.com', label: 'node.msa', role: 'MSA', domain: 'example.com', ip: '127.77.3.20' },
  { id: 'mx.example.com', label: 'node.mx', role: 'MTA', domain: 'example.com', ip: '127.77.3.25' },
  { id: 'mda.example.com', label: 'node.mda', role: 'MDA', domain: 'example.com', ip: '127.77.3.24' },
  { id: 'mail.example.com', label: 'node.mail', role: 'POP3/IMAP', domain: 'example.com', ip: '127.77.3.30' },
  { id: 'erin-laptop', label: 'node.erin-laptop', role: 'MUA', domain: 'example.com', ip: '127.77.3.10' },
];
const names: Record<string, string> = { 'alice-laptop': "Alice's laptop", 'bob-laptop': "Bob's laptop", 'bob-phone': "Bob's phone", 'erin-laptop': "Erin's laptop", external: 'external client' };
const text = { name: (n: NodeInfo) => names[n.id] ?? n.id, frame: (d: string) => `Someone's provider · ${d}` };
const three = [...defaultNodes, ...com];
const rectOf = (b: NodeBox): Rect => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h });

let connId = 0;
const conn = (client: string, server: string, proto: string, port: number): ConnInfo => ({
  conn: ++connId,
  client,
  server,
  proto,
  port,
  addr: `127.0.0.1:${30000 + port}`,
  clientAddr: '',
  openSeq: connId,
  closed: false,
  encrypted: false,
  closeSeq: 0,
  encryptedSeq: 0,
});
// The services of three-providers: one mail to example.net and example.com.
const threeProviders = () => [
  conn('alice-laptop', 'smtp.example.org', 'submission', 587),
  conn('smtp.example.org', 'dns', 'dns', 53),
  conn('smtp.example.org', 'mx.example.net', 'smtp', 25),
  conn('smtp.example.org', 'mx.example.com', 'smtp', 25),
  conn('mx.example.net', 'dns', 'dns', 53),
  conn('mx.example.com', 'dns', 'dns', 53),
  conn('mx.example.net', 'mda.example.net', 'lmtp', 24),
  conn('mx.example.com', 'mda.example.com', 'lmtp', 24),
  conn('bob-laptop', 'mail.example.net', 'imap', 143),
  conn('erin-laptop', 'mail.example.com', 'imap', 143),
];

const sizes = [
  { w: 860, h: 350 },
  { w: 860, h: 250 }, // the panel at 1280×800
  { w: 1260, h: 480 }, // presenter mode
  { w: 600, h: 420 },
];

function frameOf(s: Scene, d: string) {
  const f = s.frames.find((f) => f.domain === d);
  expect(f, d).toBeTruthy();
  return f!;
}

describe('topology with a third provider', () => {
  for (const size of sizes) {
    it(`lays out three frames apart, each with its nodes, at ${size.w}×${size.h}`, () => {
      const s = layoutScene(three, size, text, estimate);
      expect(s.w).toBe(size.w); // it fits the panel: not drawn scaled down
      expect(s.frames.map((f) => f.domain)).toEqual(['example.org', 'example.net', 'example.com']);
      for (let i = 0; i < s.frames.length; i++)
        for (let j = i + 1; j < s.frames.length; j++) expect(intersects(s.frames[i], s.frames[j]), `${s.frames[i].domain} ${s.frames[j].domain}`).toBe(false);
      const boxes = [...s.boxes.values()];
      expect(boxes).toHaveLength(three.length);
      for (const b of boxes) {
        expect(contains({ x: 0, y: 0, w: s.w, h: s.h }, rectOf(b)), b.id).toBe(true);
        if (b.node.domain) expect(contains(frameOf(s, b.node.domain), rectOf(b)), b.id).toBe(true);
        else for (const f of s.frames) expect(intersects(f, rectOf(b)), `${b.id} in ${f.domain}`).toBe(false);
        for (const f of s.frames) expect(intersects(f.titleBox, rectOf(b)), `${f.domain}'s title on ${b.id}`).toBe(false);
        for (const o of boxes) if (o !== b) expect(intersects(rectOf(o), rectOf(b)), `${b.id} ${o.id}`).toBe(false);
      }
      for (const f of s.frames) expect(contains(f, f.titleBox), f.domain).toBe(true);
      // Erin's provider is a row below the other two; mx.example.com under DNS, clear of example.org's servers.
      const com = frameOf(s, 'example.com');
      expect(com.y).toBeGreaterThan(frameOf(s, 'example.org').y + frameOf(s, 'example.org').h);
      const mx = s.boxes.get('mx.example.com')!;
      const org = s.boxes.get('mx.example.org')!;
      expect(mx.x - mx.w / 2).toBeGreaterThan(org.x + org.w / 2);
    });
  }

  it('routes the services of three-providers past every other node, labels off the hosts', () => {
    for (const size of sizes) {
      const s = layoutScene(three, size, text, estimate);
      const edges = placeLabels(edgesOf(threeProviders(), s.boxes), s.boxes, () => ({ w: 60, h: 16 }), {
        bounds: { x: 1, y: 1, w: s.w - 2, h: s.h - 2 },
        avoid: s.frames.map((f) => f.titleBox),
      });
      expect(edges).toHaveLength(10);
      for (const e of edges) {
        const curve = sample(e.from, e.ctrl, e.to, 40).slice(2, -2);
        for (const b of s.boxes.values()) {
          if (b.id === e.client || b.id === e.server) continue;
          expect(polylineHitsRect(curve, rectOf(b)), `${size.w}×${size.h} ${e.key} through ${b.id}`).toBe(false);
        }
        for (const b of s.boxes.values()) expect(intersects(e.labelBox!, rectOf(b)), `${e.key}'s label on ${b.id}`).toBe(false);
      }
    }
  });

  it('keeps the largest text that fits: a little smaller than with two providers, never tiny', () => {
    const two = layoutScene(defaultNodes, { w: 860, h: 250 }, text, estimate);
    const s = layoutScene(three, { w: 860, h: 250 }, text, estimate);
    expect(s.name).toBeLessThanOrEqual(two.name);
    expect(s.name).toBeGreaterThan(9);
    // and nothing larger fits
    expect(layoutScene(three, { w: 860, h: 250 }, text, estimate, { minName: s.name + 0.3, maxName: s.name + 0.3 }).w).toBeGreaterThan(860);
  });

  it('leaves a two-provider world as it was', () => {
    const s = layoutScene(defaultNodes, { w: 860, h: 350 }, text, estimate);
    expect(s.frames.map((f) => f.domain)).toEqual(['example.org', 'example.net']);
    for (const f of s.frames) expect(f.h).toBe(350 - 4);
    expect(s.boxes.get('external')!.y).toBeGreaterThan(s.boxes.get('dns')!.y);
  });

  it("shows example.com's nodes from the first step, and orders their lanes after example.net's", () => {
    expect(shownNodes(three, new Set(), new Set(defaultNodes.map((n) => n.id)))).toHaveLength(three.length);
    const at = (id: string) => laneOrder.indexOf(id);
    for (const n of com) {
      expect(at(n.id), n.id).toBeGreaterThan(at('mail.example.net'));
      expect(at(n.id), n.id).toBeGreaterThan(at('bob-phone'));
    }
    expect(com.map((n) => at(n.id))).toEqual([...com.map((n) => at(n.id))].sort((a, b) => a - b));
  });
});
