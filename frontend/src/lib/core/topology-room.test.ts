import { describe, expect, it } from 'vitest';
import { contains, intersects, type Rect } from './geometry';
import { defaultNodes } from './nodes';
import { bottomDomain, layoutScene, meta, shownNodes, type NodeBox } from './topology';
import type { NodeInfo } from './types';

// A classroom student's world: anna.room42.test beside product.md's world, with the room's two remote nodes.
const d = 'anna.room42.test';
const room: NodeInfo[] = [
  { id: 'anna-laptop', label: 'node.room-laptop', role: 'MUA', domain: d, ip: '127.77.4.10' },
  { id: 'anna-phone', label: 'node.room-phone', role: 'MUA', domain: d, ip: '127.77.4.11' },
  { id: `smtp.${d}`, label: 'node.msa', role: 'MSA', domain: d, ip: '127.77.4.20' },
  { id: `mx.${d}`, label: 'node.mx', role: 'MTA', domain: d, ip: '127.77.4.25' },
  { id: `mda.${d}`, label: 'node.mda', role: 'MDA', domain: d, ip: '127.77.4.24' },
  { id: `mail.${d}`, label: 'node.mail', role: 'POP3/IMAP', domain: d, ip: '127.77.4.30' },
  { id: 'room-dns', label: 'node.room-dns', role: 'DNS', ip: '10.0.0.5' },
  { id: 'room', label: 'node.room', role: 'MTA', ip: '' },
];
const text = { name: (n: NodeInfo) => n.id, frame: (dom: string) => `Provider · ${dom}` };
const rectOf = (b: NodeBox): Rect => ({ x: b.x - b.w / 2, y: b.y - b.h / 2, w: b.w, h: b.h });

describe('topology of a classroom student', () => {
  const nodes = shownNodes([...defaultNodes, ...room], new Set(['room-dns', 'room']), new Set(defaultNodes.map((n) => n.id)));

  it("shows the student's provider from the start, the room's nodes once they take part", () => {
    const ids = shownNodes([...defaultNodes, ...room], new Set(), new Set(defaultNodes.map((n) => n.id))).map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['anna-laptop', 'anna-phone', `mx.${d}`, `smtp.${d}`]));
    expect(ids).not.toContain('room-dns');
    expect(nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['room-dns', 'room']));
  });

  it("says no address for a classmate's provider, which stands for any machine of the room", () => {
    expect(meta(room.find((n) => n.id === 'room')!)).toBe('MTA');
    expect(meta(room.find((n) => n.id === 'room-dns')!)).toBe('DNS\u2009·\u200910.0.0.5');
  });

  it('lays the provider out in its own frame below, every node inside the panel and none on another', () => {
    expect(bottomDomain(nodes)).toBe(d);
    const scene = layoutScene(nodes, { w: 1200, h: 700 }, text);
    const frame = scene.frames.find((f) => f.domain === d);
    expect(frame?.title).toBe(`Provider · ${d}`);
    const boxes = [...scene.boxes.values()];
    expect(boxes.map((b) => b.id).sort()).toEqual(nodes.map((n) => n.id).sort());
    const panel = { x: 0, y: 0, w: scene.w, h: scene.h };
    for (const b of boxes) expect(contains(panel, rectOf(b)), b.id).toBe(true);
    for (const id of ['anna-laptop', 'anna-phone', `mail.${d}`, `mx.${d}`, `mda.${d}`, `smtp.${d}`]) {
      expect(contains(frame!, rectOf(scene.boxes.get(id)!)), id).toBe(true);
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(intersects(rectOf(boxes[i]), rectOf(boxes[j])), `${boxes[i].id} / ${boxes[j].id}`).toBe(false);
  });
});
