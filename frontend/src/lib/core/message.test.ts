import { describe, expect, it } from 'vitest';
import {
  cutMessage,
  decodeHeader,
  findMessages,
  header,
  MessageFinder,
  MessageReader,
  messagesAt,
  parseMessage,
  partView,
  pathOf,
  pickMessage,
  pickMessageAt,
  type FoundMessage,
} from './message';
import { lines, sampleEvents } from './testdata';
import type { MailEvent } from './types';

describe('findMessages', () => {
  const found = findMessages(sampleEvents);

  it('finds the DATA of both SMTP hops and the POP3 RETR', () => {
    expect(found.map((m) => [m.conn, m.source, m.complete])).toEqual([
      [1, 'data', true],
      [3, 'data', true],
      [4, 'retr', true],
    ]);
  });

  it('derives the envelope, leaving out refused recipients', () => {
    expect(found[0].envelope).toEqual({ mailFrom: 'alice@example.org', rcptTo: [{ address: 'bob@example.net', accepted: true }] });
    // On the relay two RCPTs were pipelined; the second got 550.
    expect(found[1].envelope?.rcptTo).toEqual([{ address: 'bob@example.net', accepted: true }]);
    expect(found[2].envelope).toBeUndefined();
  });

  it('removes dot-stuffing', () => {
    expect(found[0].lines).toContain('..a line that starts with a dot.');
    expect(found[2].lines).toContain('..a line that starts with a dot.');
    expect(found[0].lines).not.toContain('.');
  });

  it('shows a message still being sent', () => {
    const upto = sampleEvents.findIndex((e) => e.text === 'Subject: <img src=x onerror=alert(1)>');
    const partial = findMessages(sampleEvents.slice(0, upto + 1));
    expect(partial).toHaveLength(1);
    expect(partial[0].complete).toBe(false);
    expect(partial[0].lines).toHaveLength(3);
  });

  it('cuts messages back to an earlier step', () => {
    const subject = sampleEvents.find((e) => e.text === 'Subject: <img src=x onerror=alert(1)>')!;
    const cut = messagesAt(found, subject.seq);
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({ complete: false, lines: findMessages(sampleEvents.filter((e) => e.seq <= subject.seq))[0].lines });
    expect(messagesAt(found, Infinity)).toEqual(found);
    expect(messagesAt(found, 0)).toEqual([]);
  });

  it('picks the message of the selected connection', () => {
    const pop = sampleEvents.find((e) => e.conn === 4 && e.kind === 'line')!;
    const relayLine = sampleEvents.find((e) => e.conn === 3 && e.text === 'QUIT')!;
    expect(pickMessage(found, relayLine)?.conn).toBe(3);
    // The DATA command comes before its message: it still picks its own connection's.
    const data = sampleEvents.find((e) => e.conn === 1 && e.text === 'DATA')!;
    expect(pickMessage(found, data)?.conn).toBe(1);
    // A connection without a message yet falls back to the latest one.
    expect(pickMessage(found, pop)?.conn).toBe(4);
    expect(pickMessage(found.slice(0, 2), pop)?.conn).toBe(3);
    expect(pickMessage([], pop)).toBeUndefined();
  });

  it('collects an IMAP FETCH literal by its byte count', () => {
    const body = ['Subject: hi', '', 'hello'];
    const size = body.reduce((n, l) => n + l.length + 2, 0);
    const s = lines(9, 'imap', [
      'C: a2 FETCH 1 (BODY[])',
      `S: * 1 FETCH (FLAGS (\\Seen) BODY[] {${size}}`,
      ...body.map((l) => 'S: ' + l),
      'S: )',
      'S: a2 OK FETCH completed',
    ]);
    const m = findMessages(s);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ source: 'fetch', complete: true, lines: body });
  });
});

describe('parseMessage', () => {
  const msg = parseMessage(findMessages(sampleEvents)[2].lines);

  it('unfolds header fields and marks those agents add', () => {
    const names = msg.headers.map((h) => h.name);
    expect(names.slice(0, 4)).toEqual(['Return-Path', 'Delivered-To', 'Received', 'Received']);
    expect(msg.headers.filter((h) => h.added).map((h) => h.name)).toEqual([
      'Return-Path',
      'Delivered-To',
      'Received',
      'Received',
      'Date',
      'Message-ID',
    ]);
    expect(header(msg, 'subject')).toBe('<img src=x onerror=alert(1)>');
    expect(header(msg, 'Content-Type')).toBe('multipart/alternative; boundary="b1"');
    expect(msg.headers[2].lines).toHaveLength(2);
  });

  it('splits MIME parts', () => {
    expect(msg.parts).toHaveLength(2);
    expect(msg.parts[0].contentType).toBe('text/plain; charset=utf-8');
    expect(msg.parts[0].body).toEqual(['Hi Bob,', '..a line that starts with a dot.']);
    expect(msg.parts[1].body).toEqual(['<p>Hi <b>Bob</b></p>']);
  });

  it('copes with a message without header/body separator or boundary', () => {
    expect(parseMessage(['just text']).body).toEqual(['just text']);
    const open = parseMessage(['Content-Type: multipart/mixed; boundary=x', '', '--x', '', 'part one']);
    expect(open.parts).toHaveLength(1);
    expect(open.parts[0].body).toEqual(['part one']);
  });

  it('takes addresses out of MAIL and RCPT arguments', () => {
    expect(pathOf('FROM:<alice@example.org> SIZE=100')).toBe('alice@example.org');
    expect(pathOf('FROM:<>')).toBe('');
    expect(pathOf('TO:bob@example.net')).toBe('bob@example.net');
  });
});

describe('decodeHeader', () => {
  it.each([
    ['=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_Krak=C3=B3w?=', 'Grüße aus Kraków'],
    ['=?UTF-8?B?WmHFvMOzxYLEhw==?= =?UTF-8?B?IGfEmcWbbMSF?=', 'Zażółć gęślą'],
    ['=?iso-8859-1?q?Caf=E9?= au lait', 'Café au lait'],
    ['plain <b>text</b>', 'plain <b>text</b>'],
    ['=?bogus-charset?q?x?=', 'x'],
  ])('%s', (raw, want) => expect(decodeHeader(raw)).toBe(want));
});

describe('pickMessageAt and cutMessage (the store picks without copies)', () => {
  const f = new MessageFinder();
  for (const ev of sampleEvents) f.add(ev);
  // What the panel shows, in a form both ways can give.
  const shown = (m: FoundMessage | undefined) => m && { conn: m.conn, startSeq: m.startSeq, lines: m.lines, complete: m.complete, endSeq: m.endSeq };

  it('equals pickMessage(messagesAt(...)) at every step, for every line selected up to it', () => {
    const picks: (MailEvent | undefined)[] = [undefined, ...sampleEvents];
    let checked = 0;
    for (const at of [0, ...sampleEvents.map((e) => e.seq), Infinity]) {
      const cut = messagesAt(f.messages, at);
      for (const sel of picks) {
        if (sel && sel.seq > at) continue;
        const want = shown(pickMessage(cut, sel));
        const got = pickMessageAt(f.messages, f.byConn, at, sel);
        const c = got && cutMessage(got, at);
        expect(c && { conn: got!.conn, startSeq: got!.startSeq, lines: got!.lines.slice(0, c.lines), complete: c.complete, endSeq: c.endSeq }).toEqual(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('keeps the messages of each connection in order', () => {
    for (const [conn, ms] of f.byConn) expect(ms).toEqual(f.messages.filter((m) => m.conn === conn));
  });

  it('gives a complete message itself, not a copy', () => {
    expect(cutMessage(f.messages[0], Infinity)).toEqual({ message: f.messages[0], lines: f.messages[0].lines.length, complete: true, endSeq: f.messages[0].endSeq });
  });
});

describe('MessageReader (a growing message parsed line by line)', () => {
  const msg = (ls: string[]): FoundMessage => ({ conn: 1, source: 'data', startSeq: 1, endSeq: 1, complete: false, lines: ls, seqs: ls.map((_, i) => i + 2) });
  const cases: Record<string, string[]> = {
    ...Object.fromEntries(findMessages(sampleEvents).map((m, i) => [`sample message ${i + 1}`, m.lines])),
    'a plain body longer than the view': ['From: a@b', 'Subject: long', '', ...Array.from({ length: 150 }, (_, i) => `line ${i + 1}`)],
    'folded header fields, a body without a blank line before it': ['Subject: one', ' two', '\tthree', 'Received: x', '  y', 'no colon here', 'body'],
    'a body first': ['just text', 'Subject: not a header', ''],
    'a continuation line first': [' X-Odd: value', 'Subject: s', '', 'b'],
    'nested multipart, text after the closing boundary': [
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain',
      '',
      'plain',
      '--inner',
      'Content-Type: text/html',
      '',
      '<p>html</p>',
      '--inner--',
      '--outer',
      '',
      'second part',
      '--outer--',
      'epilogue',
      '--outer',
      'ignored',
    ],
    'an unfinished multipart': ['Content-Type: multipart/mixed; boundary=x', '', '--x', 'Content-Type: text/plain', '', 'part one', '--x'],
    'a boundary as the first body line': ['Content-Type: multipart/mixed; boundary=--', 'X: y', '----', 'A: b', '', 'x', '------'],
    'nesting deeper than five levels': [
      ...[0, 1, 2, 3, 4, 5, 6].flatMap((d) => [`Content-Type: multipart/mixed; boundary=b${d}`, '', `--b${d}`]),
      'deep',
    ],
  };

  for (const [name, ls] of Object.entries(cases)) {
    it(`equals parseMessage of the lines so far, line by line and back: ${name}`, () => {
      const m = msg(ls);
      for (const max of [60, 3]) {
        const r = new MessageReader();
        for (let n = 0; n <= ls.length; n++) expect(r.view(m, n, max)).toEqual(partView(parseMessage(ls.slice(0, n)), max));
        // Back in history and forward again, in big and small steps.
        for (const n of [ls.length, 2, 0, Math.floor(ls.length / 2), ls.length - 1, ls.length, ls.length + 5])
          expect(r.view(m, n, max)).toEqual(partView(parseMessage(ls.slice(0, n)), max));
      }
    });
  }

  it('keeps earlier views as they were while the message grows', () => {
    const ls = ['Subject: a', ' b', ' c', '', 'x', 'y'];
    const m = msg(ls);
    const r = new MessageReader();
    const views = ls.map((_, n) => r.view(m, n + 1, 60));
    views.forEach((v, n) => expect(v).toEqual(partView(parseMessage(ls.slice(0, n + 1)), 60)));
  });

  it('shows the first lines of a 10,000-line body and counts the rest', () => {
    const ls = ['Subject: flood', '', ...Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`)];
    const m = msg(ls);
    const r = new MessageReader();
    for (let n = 0; n <= ls.length; n += 1700) r.view(m, n, 60);
    const v = r.view(m, ls.length, 60);
    expect(v.head).toEqual(ls.slice(2, 62));
    expect(v.lines).toBe(10_000);
    expect(v).toEqual(partView(parseMessage(ls), 60));
  });
});
