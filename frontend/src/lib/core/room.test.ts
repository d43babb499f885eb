import { describe, expect, test } from 'vitest';
import { overlapArea } from './geometry';
import { entryIcon, entryText, fitMap, flightsFor, layoutRoom, nodeState, mapSize, maxFlights, maxRing, mergeEntries, normalScreen, outcomeView, qrRects, type RoomEntry, type RoomNode } from './room';

const node = (name: string, online = true): RoomNode => ({ name, domain: `${name}.room42.test`, address: '10.0.0.2', online, joined: '', sent: 0, received: 0 });
const nodes = (n: number) => Array.from({ length: n }, (_, i) => node(`s${String(i).padStart(2, '0')}`));

describe('layoutRoom', () => {
  test.each([1, 2, 3, 7, maxRing, maxRing + 1, 20, 25, 30])('%i providers: inside the map, no two boxes touching', (n) => {
    const p = layoutRoom(nodes(n));
    expect(p).toHaveLength(n);
    for (const q of p) {
      expect(q.box.x).toBeGreaterThanOrEqual(0);
      expect(q.box.y).toBeGreaterThanOrEqual(0);
      expect(q.box.x + q.box.w).toBeLessThanOrEqual(mapSize.w);
      expect(q.box.y + q.box.h).toBeLessThanOrEqual(mapSize.h);
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlapArea(p[i].box, p[j].box), `${i} and ${j}`).toBe(0);
  });

  test('a small room is a ring with the first at the top; a big one a grid', () => {
    const ring = layoutRoom(nodes(4));
    expect(ring[0].at.x).toBeCloseTo(mapSize.w / 2);
    expect(ring[0].at.y).toBeLessThan(ring[2].at.y);
    expect(ring[1].at.x).toBeGreaterThan(ring[3].at.x); // clockwise: the second on the right
    const grid = layoutRoom(nodes(30));
    expect(new Set(grid.map((p) => Math.round(p.at.y))).size).toBeLessThan(30 / 2);
  });
});

describe('fitMap', () => {
  test.each([
    [940, 420],
    [800, 330],
    [1600, 760],
    [500, 600],
  ])('at %i×%i px, 1 to 30 providers never touch and stay inside', (w, h) => {
    for (let n = 1; n <= 30; n++) {
      const f = fitMap(nodes(n), w, h);
      expect(f.size.w * f.scale).toBeCloseTo(w, 0);
      for (const p of f.placed) {
        expect(p.box.x).toBeGreaterThanOrEqual(0);
        expect(p.box.y).toBeGreaterThanOrEqual(0);
        expect(p.box.x + p.box.w).toBeLessThanOrEqual(f.size.w + 0.01);
        expect(p.box.y + p.box.h).toBeLessThanOrEqual(f.size.h + 0.01);
      }
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlapArea(f.placed[i].box, f.placed[j].box), `${n}: ${i} and ${j}`).toBe(0);
    }
  });
  test('a small room keeps the words at full size; 30 on a 1280×720 screen stay readable', () => {
    expect(fitMap(nodes(3), 940, 420).scale).toBe(1);
    const big = fitMap(nodes(30), 940, 420);
    expect(big.scale).toBeLessThan(1);
    expect(26 * big.scale).toBeGreaterThanOrEqual(14); // the name's font, in px
  });
});

describe('deliveries', () => {
  const placed = layoutRoom([node('anna'), node('ben'), node('cleo')]);
  const delivery = (seq: number, from: string, to: string, outcome: RoomEntry['outcome'], status = '2.0.0'): RoomEntry => ({
    seq,
    kind: 'delivery',
    time: '',
    from: `${from}.room42.test`,
    to: `${to}.room42.test`,
    outcome,
    status,
  });

  test('every outcome has an icon and a word besides its colour', () => {
    const seen = new Set<string>();
    for (const o of ['delivered', 'deferred', 'bounced', 'refused'] as const) {
      const v = outcomeView(o);
      expect(v.outcome).toBe(o);
      expect(v.icon).not.toBe('');
      expect(v.key).toBe(`ui.room.outcome.${o}`);
      seen.add(v.icon).add(v.cls);
    }
    expect(seen.size).toBe(8);
    expect(outcomeView('whatever').outcome).toBe('bounced');
  });

  test('an arrow runs from the sender to the recipient; one that did not arrive stops halfway', () => {
    const [ok, wait] = flightsFor([delivery(1, 'anna', 'ben', 'delivered'), delivery(2, 'ben', 'cleo', 'deferred', '4.4.1')], placed);
    const [anna, ben, cleo] = placed;
    const near = (p: { x: number; y: number }, r: typeof anna.box) => p.x >= r.x - 0.01 && p.x <= r.x + r.w + 0.01 && p.y >= r.y - 0.01 && p.y <= r.y + r.h + 0.01;
    expect(near(ok.from, anna.box)).toBe(true);
    expect(near(ok.end, ben.box)).toBe(true);
    expect(ok.view.reaches).toBe(true);
    expect(ok.path).toMatch(/^M[\d.,-]+ Q[\d.,-]+ [\d.,-]+$/);
    expect(wait.view.outcome).toBe('deferred');
    expect(near(wait.end, cleo.box)).toBe(false);
    expect(wait.status).toBe('4.4.1');
  });

  test('joins, deliveries outside the map and to oneself draw no arrow; a burst shows its newest', () => {
    expect(flightsFor([{ seq: 1, kind: 'joined', time: '', domain: 'anna.room42.test' }, delivery(2, 'anna', 'zed', 'bounced'), delivery(3, 'anna', 'anna', 'delivered')], placed)).toEqual([]);
    const burst = Array.from({ length: 100 }, (_, i) => delivery(i + 1, 'anna', 'ben', 'delivered'));
    const f = flightsFor(burst, placed);
    expect(f).toHaveLength(maxFlights);
    expect(f[f.length - 1].seq).toBe(100);
  });

  test('entryText says who, to whom, what and the status', () => {
    const t = (k: string, p?: Record<string, string>) => `${k}${p ? JSON.stringify(p) : ''}`;
    expect(entryText(delivery(1, 'anna', 'ben', 'refused', '5.7.26'), t)).toBe(
      'ui.room.entry.delivery{"from":"anna.room42.test","to":"ben.room42.test","outcome":"ui.room.outcome.refused","status":"5.7.26"}',
    );
    expect(entryText({ seq: 2, kind: 'left', time: '', domain: 'ben.room42.test' }, t)).toBe('ui.room.entry.left{"domain":"ben.room42.test"}');
    expect(entryText({ seq: 3, kind: 'silent', time: '', domain: 'ben.room42.test' }, t)).toBe('ui.room.entry.silent{"domain":"ben.room42.test"}');
    expect(entryText({ seq: 4, kind: 'back', time: '', domain: 'ben.room42.test' }, t)).toBe('ui.room.entry.back{"domain":"ben.room42.test"}');
  });

  test("the room's challenge: handed out, withdrawn and solved, each with words and a sign", () => {
    const t = (k: string, p?: Record<string, string>) => `${k}${p ? JSON.stringify(p) : ''}`;
    const out: RoomEntry = { seq: 4, kind: 'challenge', time: '', title: 'MX' };
    const gone: RoomEntry = { seq: 5, kind: 'withdrawn', time: '', title: 'MX' };
    const solved: RoomEntry = { seq: 6, kind: 'solved', time: '', domain: 'anna.room42.test', title: 'MX' };
    expect(entryText(out, t)).toBe('ui.room.entry.challenge{"title":"MX"}');
    expect(entryText(gone, t)).toBe('ui.room.entry.withdrawn{"title":"MX"}');
    expect(entryText(solved, t)).toBe('ui.room.entry.solved{"domain":"anna.room42.test","title":"MX"}');
    expect([out, gone, solved].map(entryIcon)).toEqual(['⚑', '⚐', '★']);
    expect(entryIcon(delivery(7, 'anna', 'ben', 'deferred'))).toBe('◷');
    expect(flightsFor([solved], placed)).toEqual([]);
  });
});

test('a node shows online, waited for or offline in words and a sign', () => {
  expect(nodeState(node('anna')).state).toBe('online');
  expect(nodeState({ ...node('anna'), waiting: true })).toMatchObject({ state: 'waiting', icon: '◷', key: 'ui.room.waiting' });
  expect(nodeState({ ...node('anna', false), waiting: true })).toMatchObject({ state: 'offline', icon: '○' });
  expect(nodeState({ ...node('anna'), silent: true, waiting: true })).toMatchObject({ state: 'silent', icon: '?', key: 'ui.room.silent', label: 'ui.room.node-silent' });
  expect(nodeState({ ...node('anna', false), silent: true })).toMatchObject({ state: 'offline' });
});

describe('the log', () => {
  const e = (seq: number): RoomEntry => ({ seq, kind: 'joined', time: '', domain: 'x' });
  test('pages merge once each and stay bounded', () => {
    let log = mergeEntries([], [e(1), e(2)]);
    log = mergeEntries(log, [e(2), e(3)]);
    expect(log.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(mergeEntries(log, [e(3)])).toBe(log);
    expect(mergeEntries(log, [e(4), e(5)], 3).map((x) => x.seq)).toEqual([3, 4, 5]);
  });
  test('normalScreen fills what Go leaves out', () => {
    const s = normalScreen({ open: true, qr: null as unknown as boolean[][] });
    expect(s.qr).toEqual([]);
    expect(s.nodes).toEqual([]);
    expect(s.counts.deliveries).toBe(0);
  });
});

describe('qrRects', () => {
  test('one rectangle per run of dark modules, inside a quiet zone of four', () => {
    const m = [
      [true, true, false],
      [false, true, false],
      [true, false, true],
    ];
    const d = qrRects(m);
    expect(d.size).toBe(11);
    expect(d.rects).toEqual([
      { x: 4, y: 4, w: 2 },
      { x: 5, y: 5, w: 1 },
      { x: 4, y: 6, w: 1 },
      { x: 6, y: 6, w: 1 },
    ]);
    // Read back: exactly the dark modules are covered.
    const back = m.map((row, y) => row.map((_, x) => d.rects.some((r) => r.y === y + 4 && x + 4 >= r.x && x + 4 < r.x + r.w)));
    expect(back).toEqual(m);
  });
  test('only true is dark: strings from the wire draw nothing', () => {
    expect(qrRects([['<script>' as unknown as boolean, 1 as unknown as boolean]]).rects).toEqual([]);
    expect(qrRects([]).size).toBe(0);
  });
});
