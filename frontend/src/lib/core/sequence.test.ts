import { describe, expect, it } from 'vitest';
import {
  arrowLabel,
  fitText,
  labelGap,
  layoutLanes,
  maxLabelChars,
  pairKey,
  scrollSpan,
  SequenceModel,
  spansOf,
  VisualIndex,
} from './sequence';
import { lines, sampleEvents } from './testdata';
import { isStepped } from './timeline';
import type { MailEvent } from './types';

const steps = (evs: readonly MailEvent[]) => evs.filter(isStepped);
const texts = (m: SequenceModel) => m.rows.map((r) => (r.fold ? `[${r.n}]` : (r.ev.text ?? r.ev.code ?? '')));

describe('folding message bodies', () => {
  it('folds the SMTP DATA body between 354 and the lone dot into one row per body', () => {
    const m = new SequenceModel().addAll(sampleEvents);
    const all = steps(sampleEvents);
    expect(m.steps).toBe(all.length);
    const folds = m.rows.filter((r) => r.fold);
    // The submission, the relay and the POP3 download each carry the message once.
    expect(folds.map((f) => f.ev.proto)).toEqual(['submission', 'smtp', 'pop3']);
    const [sub, relay, pop] = folds;
    expect(all[pop.step - 1].text).toBe('+OK 1240 octets');
    expect(pop.ev.text).toBe('Return-Path: <alice@example.org>');
    expect(all[pop.step + pop.n].text).toBe('.');
    expect(all[sub.step - 1].text).toMatch(/^354 /);
    expect(sub.ev.text).toBe('From: Alice <alice@example.org>');
    expect(all[sub.step + sub.n].text).toBe('.'); // the dot stays a row of its own
    expect(sub.n).toBe(19);
    expect(relay.ev.text).toMatch(/^Received: /);
    // Every step is in exactly one row, in order.
    let next = 0;
    for (const r of m.rows) {
      expect(r.step).toBe(next);
      next += r.n;
    }
    expect(next).toBe(all.length);
    expect(m.rows.length).toBe(all.length - (sub.n - 1) - (relay.n - 1) - (pop.n - 1));
  });

  it('cuts rows at the cursor, a body growing line by line', () => {
    const m = new SequenceModel().addAll(sampleEvents);
    const sub = m.rows.find((r) => r.fold)!;
    const r = m.rows.indexOf(sub);
    expect(m.rowCount(sub.step)).toBe(r); // the 354 is the last row shown
    expect(m.rowCount(sub.step + 1)).toBe(r + 1);
    expect(m.shownLines(r, sub.step + 1)).toBe(1);
    expect(m.shownLines(r, sub.step + 5)).toBe(5);
    expect(m.shownLines(r, Infinity)).toBe(sub.n);
    expect(m.rowOfStep(sub.step + 3)).toBe(r);
    expect(m.rowOfStep(sub.step + sub.n)).toBe(r + 1);
    expect(m.rowCount(0)).toBe(0);
  });

  it('folds a POP3 RETR answer, not a LIST, UIDL or CAPA listing', () => {
    const evs = lines(7, 'pop3', [
      'S: +OK ready',
      'C: CAPA',
      'S: +OK capabilities',
      'S: UIDL',
      'S: .',
      'C: LIST',
      'S: +OK 1 message',
      'S: 1 120',
      'S: .',
      'C: RETR 1',
      'S: +OK 120 octets',
      'S: Subject: hi',
      'S: ',
      'S: Hi Bob',
      'S: .',
      'C: QUIT',
    ]);
    const m = new SequenceModel().addAll(evs);
    expect(texts(m)).toEqual(['+OK ready', 'CAPA', '+OK capabilities', 'UIDL', '.', 'LIST', '+OK 1 message', '1 120', '.', 'RETR 1', '+OK 120 octets', '[3]', '.', 'QUIT']);
  });

  it('folds IMAP message literals (FETCH, APPEND), not other literals', () => {
    const body = ['Subject: hi', '', 'Hi Bob'];
    const n = body.reduce((s, l) => s + l.length + 2, 0);
    const evs = lines(8, 'imap', [
      'S: * OK ready',
      'C: a1 LOGIN bob {6}',
      'C: secret',
      'S: a1 OK done',
      'C: a2 FETCH 1 BODY[]',
      `S: * 1 FETCH (BODY[] {${n}}`,
      ...body.map((l) => 'S: ' + l),
      'S: )',
      'S: a2 OK done',
    ]);
    const m = new SequenceModel().addAll(evs);
    expect(texts(m)).toEqual(['* OK ready', 'a1 LOGIN bob {6}', 'secret', 'a1 OK done', 'a2 FETCH 1 BODY[]', `* 1 FETCH (BODY[] {${n}}`, '[3]', ')', 'a2 OK done']);
  });

  it('keeps lines of other connections between body lines apart', () => {
    const a = lines(1, 'smtp', ['C: DATA', 'S: 354 go', 'C: Subject: x']);
    const other = lines(2, 'pop3', ['C: NOOP']);
    const b = lines(1, 'smtp', ['C: ', 'C: body', 'C: .']);
    const m = new SequenceModel().addAll([...a, ...other, ...b]);
    expect(texts(m)).toEqual(['DATA', '354 go', '[1]', 'NOOP', '[2]', '.']);
  });

  it('records what the labels between two nodes need', () => {
    const m = new SequenceModel().addAll(sampleEvents);
    const sub = m.pairs.get(pairKey('alice-laptop', 'smtp.example.org'))!;
    expect(sub.foldLines).toBe(19);
    expect(sub.chars).toBeGreaterThanOrEqual('STARTTLS'.length);
    expect(sub.chars).toBeLessThanOrEqual(maxLabelChars);
    expect(pairKey('b', 'a')).toBe(pairKey('a', 'b'));
    m.reset();
    expect(m.rows).toHaveLength(0);
    expect(m.pairs.size).toBe(0);
    expect(m.steps).toBe(0);
  });
});

describe('labels', () => {
  it('says the whole line when the short label had to cut it', () => {
    const [cmd] = lines(1, 'smtp', ['C: MAIL FROM:<alice@example.org>']);
    expect(arrowLabel(cmd)).toBe('MAIL FROM');
    const [hdr] = lines(1, 'smtp', ['S: not a reply but a long line of text']);
    expect(arrowLabel(hdr)).toBe('not a reply but a long line of text');
  });

  it('cuts text to the room it has, with an ellipsis', () => {
    expect(fitText('EHLO', 10)).toBe('EHLO');
    expect(fitText('Content-Transfer-Encoding', 10)).toBe('Content-T…');
    expect(fitText('Grüße aus Kraków', 6)).toBe('Grüße…');
    expect(fitText('abc', 0)).toBe('');
  });
});

describe('visual rows with open folds', () => {
  it('maps screen rows to model rows and back', () => {
    const v = new VisualIndex(5, [{ row: 2, lines: 3 }]);
    expect(v.total).toBe(8);
    const at = [...Array(v.total).keys()].map((i) => v.at(i));
    expect(at).toEqual([
      { row: 0, line: -1 },
      { row: 1, line: -1 },
      { row: 2, line: -1 },
      { row: 2, line: 0 },
      { row: 2, line: 1 },
      { row: 2, line: 2 },
      { row: 3, line: -1 },
      { row: 4, line: -1 },
    ]);
    at.forEach((a, i) => expect(v.indexOf(a.row, a.line)).toBe(i));
    expect(new VisualIndex(3, []).at(2)).toEqual({ row: 2, line: -1 });
    // Folds beyond the cursor or empty add nothing.
    expect(new VisualIndex(2, [{ row: 4, lines: 3 }, { row: 0, lines: 0 }]).total).toBe(2);
  });
});

describe('lane layout', () => {
  it('keeps headers apart and gives each label room in one gap between its lanes', () => {
    const headers = [100, 120, 40, 110];
    const spans = [
      { a: 0, b: 1, w: 300 },
      { a: 1, b: 3, w: 500 },
      { a: 2, b: 3, w: 60 },
      { a: 0, b: 3, w: 2000, whole: true },
    ];
    const { x, width } = layoutLanes(headers, spans, 0);
    for (let i = 1; i < x.length; i++) expect(x[i] - x[i - 1]).toBeGreaterThanOrEqual((headers[i] + headers[i - 1]) / 2);
    for (const s of spans) {
      if (s.whole) expect(x[s.b] - x[s.a]).toBeGreaterThanOrEqual(s.w - 1e-9);
      else expect(Math.max(...x.slice(s.a + 1, s.b + 1).map((v, i) => v - x[s.a + i]))).toBeGreaterThanOrEqual(s.w - 1e-9);
    }
    expect(x[0]).toBeGreaterThanOrEqual(headers[0] / 2);
    expect(width).toBeGreaterThanOrEqual(x[3] + headers[3] / 2);
    // The label crossing lane 2 widened one gap, not both.
    expect(x[3] - x[2]).toBeLessThan(500);
  });

  it('puts a label in the widest gap its arrow crosses', () => {
    const lanes = [0, 100, 400, 450];
    expect(labelGap(lanes, 0, 450)).toEqual([100, 400]);
    expect(labelGap(lanes, 450, 100)).toEqual([100, 400]);
    expect(labelGap(lanes, 0, 100)).toEqual([0, 100]);
    expect(labelGap(lanes, 400, 450)).toEqual([400, 450]);
  });

  it('spreads over the room there is, and scrolls when there is not enough', () => {
    const narrow = layoutLanes([50, 50, 50], [], 900);
    expect(narrow.width).toBeCloseTo(900);
    expect(narrow.x[1] - narrow.x[0]).toBeCloseTo(narrow.x[2] - narrow.x[1]);
    const wide = layoutLanes([50, 50, 50], [{ a: 0, b: 2, w: 2000 }], 900);
    expect(wide.width).toBeGreaterThan(2000);
    expect(layoutLanes([], [], 300)).toEqual({ x: [], width: 300 });
    expect(layoutLanes([80], [], 300).x).toEqual([150]);
  });

  it('turns node pairs into spans between the lanes shown', () => {
    const pairs = new Map([
      [pairKey('a', 'c'), { chars: 4, foldLines: 0 }],
      [pairKey('b', 'z'), { chars: 9, foldLines: 0 }],
    ]);
    expect(spansOf(['a', 'b', 'c'], pairs, (p) => p.chars * 10)).toEqual([{ a: 0, b: 2, w: 40 }]);
    pairs.set(pairKey('b', 'c'), { chars: 0, foldLines: 12 });
    expect(spansOf(['a', 'b', 'c'], pairs, (p) => p.chars * 10, (p) => p.foldLines * 10)).toEqual([
      { a: 0, b: 2, w: 40 },
      { a: 1, b: 2, w: 120, whole: true },
    ]);
  });

  it('scrolls sideways just enough to show an arrow', () => {
    expect(scrollSpan(100, 200, 0, 400, 30, 10)).toBeNull();
    expect(scrollSpan(500, 600, 0, 400, 30, 10)).toBe(610 - 400);
    expect(scrollSpan(100, 200, 300, 400, 30, 10)).toBe(90 - 30);
    // Wider than the view: its start.
    expect(scrollSpan(600, 1400, 0, 400, 30, 10)).toBe(590 - 30);
  });
});
