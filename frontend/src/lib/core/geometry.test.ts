import { describe, expect, it } from 'vitest';
import { connectionsOf } from './connections';
import { coreNodes, defaultNodes, laneOrder } from './nodes';
import { arrowOf, laneFirstSeen, lanesAt, lanesOf, laneX } from './sequence';
import { sampleEvents } from './testdata';
import { edgesOf, layoutNodes, placeLabels, shownNodes, travel, view } from './topology';
import type { NodeInfo } from './types';
import { scrollToShow, visibleWindow } from './virtual';

describe('topology layout', () => {
  const boxes = layoutNodes(defaultNodes);

  it('puts example.org left, example.net right and DNS in the middle', () => {
    for (const n of defaultNodes) {
      const b = boxes.get(n.id)!;
      expect(b.x - b.w / 2).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w / 2).toBeLessThanOrEqual(view.w);
      expect(b.y + b.h / 2).toBeLessThanOrEqual(view.h);
      if (n.domain === 'example.org') expect(b.x).toBeLessThan(view.w / 2);
      if (n.domain === 'example.net') expect(b.x).toBeGreaterThan(view.w / 2);
    }
    expect(boxes.get('dns')!.x).toBe(view.w / 2);
  });

  it('never puts two nodes on top of each other', () => {
    const all = [...boxes.values()];
    for (const a of all)
      for (const b of all)
        if (a !== b) expect(Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2).toBe(true);
  });

  it('places unknown nodes too', () => {
    const more = layoutNodes([...defaultNodes, { id: 'x', label: 'x', role: 'external', ip: '127.0.0.1' }]);
    expect(more.get('x')).toBeDefined();
  });

  it('has room for Carol, Dave and the impostor, and shows them only once they take part', () => {
    const extra: NodeInfo[] = [
      { id: 'carol-laptop', label: 'node.carol-laptop', role: 'MUA', domain: 'example.net', ip: '127.77.2.12' },
      { id: 'dave-laptop', label: 'node.dave-laptop', role: 'MUA', domain: 'example.net', ip: '127.77.2.13' },
      { id: 'impostor', label: 'node.impostor', role: 'external', ip: '127.77.9.66' },
      { id: 'y', label: 'y', role: 'external', ip: '127.0.0.1' },
    ];
    const all = [...layoutNodes([...defaultNodes, ...extra]).values()];
    for (const a of all) {
      expect(a.y - a.h / 2).toBeGreaterThanOrEqual(0);
      expect(a.y + a.h / 2).toBeLessThanOrEqual(view.h);
      for (const b of all) if (a !== b) expect(Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2, `${a.id} / ${b.id}`).toBe(true);
    }
    const shown = shownNodes([...defaultNodes, ...extra], new Set(['dave-laptop']), coreNodes).map((n) => n.id);
    expect(shown).toContain('dave-laptop');
    expect(shown).not.toContain('carol-laptop');
    expect(shown).toContain('external');
    expect(laneOrder.indexOf('carol-laptop')).toBe(laneOrder.indexOf('bob-phone') + 1);
  });

  it('draws one edge per service and bends parallel ones apart', () => {
    const conns = [...connectionsOf(sampleEvents).values()];
    const imap = { ...conns[3], conn: 9, proto: 'imap', port: 143 };
    const edges = edgesOf([...conns, imap, { ...imap, conn: 10 }], boxes);
    expect(edges).toHaveLength(5);
    const pop = edges.find((e) => e.proto === 'pop3')!;
    const im = edges.find((e) => e.proto === 'imap')!;
    expect(im.conns).toEqual([9, 10]);
    expect(pop.ctrl).not.toEqual(im.ctrl);
    expect(pop.path).toMatch(/^M[\d.]+,[\d.]+ Q/);
  });

  it('moves labels off the nodes', () => {
    const edges = edgesOf(connectionsOf(sampleEvents).values(), boxes);
    const placed = placeLabels(edges, boxes, () => ({ w: 60, h: 20 }));
    expect(placed).toHaveLength(edges.length);
    for (const e of placed) {
      for (const b of boxes.values()) {
        const clear = Math.abs(e.label.x - b.x) >= (60 + b.w) / 2 || Math.abs(e.label.y - b.y) >= (20 + b.h) / 2;
        expect(clear, `${e.key} label on ${b.id}`).toBe(true);
      }
    }
  });

  it('moves an envelope from client to server and back', () => {
    const [e] = edgesOf(connectionsOf(sampleEvents).values(), boxes);
    expect(travel(e, 'C', 0)).toEqual(e.from);
    expect(travel(e, 'C', 1)).toEqual(e.to);
    expect(travel(e, 'S', 0)).toEqual(e.to);
    expect(travel(e, 'S', 2)).toEqual(e.from);
  });
});

describe('sequence diagram', () => {
  it('has a lane per node in the run, in topology order', () => {
    expect(lanesOf(sampleEvents)).toEqual(['alice-laptop', 'smtp.example.org', 'dns', 'mx.example.net', 'mail.example.net', 'bob-laptop']);
    expect(lanesOf([])).toEqual([]);
  });

  it('knows the lanes of any earlier step', () => {
    const seen = laneFirstSeen(sampleEvents);
    expect(lanesAt(seen, Infinity)).toEqual(lanesOf(sampleEvents));
    const dnsQuery = sampleEvents.find((e) => e.kind === 'packet')!;
    expect(lanesAt(seen, dnsQuery.seq - 1)).toEqual(['alice-laptop', 'smtp.example.org']);
    expect(lanesAt(seen, 0)).toEqual([]);
  });

  it('draws replies from server to client', () => {
    const lanes = lanesOf(sampleEvents);
    const reply = sampleEvents.find((e) => e.kind === 'line' && e.dir === 'S')!;
    const a = arrowOf(reply, lanes, 600);
    expect(a.x1).toBe(laneX(1, lanes.length, 600));
    expect(a.x2).toBe(laneX(0, lanes.length, 600));
    expect(a.right).toBe(false);
    expect(arrowOf(sampleEvents[0], lanes, 600).kind).toBe('note');
  });
});

describe('virtual list', () => {
  it('renders only what is on screen plus overscan', () => {
    expect(visibleWindow(0, 220, 22, 10000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleWindow(22000, 220, 22, 10000, 5)).toEqual({ start: 995, end: 1015 });
    expect(visibleWindow(1e9, 220, 22, 100, 5).end).toBe(100);
    expect(visibleWindow(0, 100, 22, 0)).toEqual({ start: 0, end: 0 });
  });

  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(5, 0, 220, 22)).toBeNull();
    expect(scrollToShow(50, 0, 220, 22)).toBe(51 * 22 - 220 + 22);
    expect(scrollToShow(2, 500, 220, 22)).toBe(22);
  });

  it('never scrolls past the end of the list', () => {
    // The last of 100 rows: its margin below does not exist, the list ends at 100 × 22 − 220.
    expect(scrollToShow(99, 0, 220, 22, 100)).toBe(100 * 22 - 220);
    expect(scrollToShow(99, 100 * 22 - 220, 220, 22, 100)).toBeNull();
    // A row above the view, near the end: up to it, not beyond the end.
    expect(scrollToShow(98, 100 * 22 + 500, 220, 22, 100)).toBe(100 * 22 - 220);
    // Shorter than the view: stays at the top.
    expect(scrollToShow(3, 0, 220, 22, 5)).toBeNull();
  });
});
