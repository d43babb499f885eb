import { describe, expect, it } from 'vitest';
import { explain, fromWire } from './explain';
import { connectionLines } from './connections';
import { line, lines, sampleEvents } from './testdata';
import type { MailEvent } from './types';

function explainIn(all: MailEvent[], ev: MailEvent) {
  const previous = all.filter((e) => e.kind === 'line' && e.conn === ev.conn && e.seq < ev.seq);
  return explain(ev, { previous });
}

describe('explain, SMTP', () => {
  const relay = connectionLines(sampleEvents, 3);
  const find = (t: string) => relay.find((e) => e.text === t)!;

  it('names the command verb', () => {
    const e = explainIn(relay, find('EHLO smtp.example.org'));
    expect(e.badge).toBe('EHLO');
    expect(e.items[0]).toEqual({ key: 'ui.explain.command', params: { verb: 'EHLO' } });
    expect(e.rfc).toBe('RFC 5321');
  });

  it.each([
    ['250 2.0.0 OK: queued', '250', '2xx', 'ok'],
    ['354 Go ahead. End your data with <CR><LF>.<CR><LF>', '354', '3xx', 'wait'],
    ['550 5.1.1 <nobody@example.net>: no such user', '550', '5xx', 'fail'],
  ])('gives code and class of %s', (text, code, cls, tone) => {
    const e = explainIn(relay, find(text));
    expect(e).toMatchObject({ badge: code, replyClass: cls, tone });
    expect(e.items.map((i) => i.key)).toContain(`ui.explain.class.${cls}`);
  });

  it('knows a 4xx is temporary and a continuation line goes on', () => {
    const e = explain(line(9, 'smtp', 'S', '421-4.7.0 try again later'), { previous: [] });
    expect(e.replyClass).toBe('4xx');
    expect(e.items.map((i) => i.key)).toEqual(['ui.explain.reply', 'ui.explain.class.4xx', 'ui.explain.reply-continues']);
  });

  it('tells DATA lines and the final dot from commands', () => {
    const subject = relay.find((e) => e.text?.startsWith('Subject:'))!;
    expect(explainIn(relay, subject).items[0].key).toBe('ui.explain.smtp.data-line');
    const dot = relay.find((e) => e.text === '.')!;
    expect(explainIn(relay, dot).items[0].key).toBe('ui.explain.smtp.data-end');
    expect(explainIn(relay, find('QUIT')).badge).toBe('QUIT');
  });

  it('flags credentials and encryption-independent facts', () => {
    const auth = sampleEvents.find((e) => e.credential && e.proto === 'submission')!;
    const e = explain(auth, { previous: connectionLines(sampleEvents, 1).filter((x) => x.seq < auth.seq) });
    expect(e.badge).toBe('AUTH');
    expect(e.items.map((i) => i.key)).toContain('ui.explain.credential');
  });
});

describe('explain, POP3 and IMAP', () => {
  it('explains +OK, -ERR and multi-line data', () => {
    const pop = connectionLines(sampleEvents, 4);
    const ok = pop.find((e) => e.text === '+OK 1240 octets')!;
    expect(explainIn(pop, ok)).toMatchObject({ badge: '+OK', tone: 'ok' });
    const data = pop.find((e) => e.text === 'Delivered-To: bob@example.net')!;
    expect(explainIn(pop, data).items[0].key).toBe('ui.explain.pop3.multiline');
    const end = pop.find((e) => e.text === '.')!;
    expect(explainIn(pop, end).items[0].key).toBe('ui.explain.pop3.multiline-end');
    expect(explain(line(9, 'pop3', 'S', '-ERR no such message'), { previous: [] })).toMatchObject({ badge: '-ERR', tone: 'fail' });
  });

  it('explains tagged, untagged, continuation and literal lines', () => {
    const s = lines(7, 'imap', [
      'S: * OK IMAP4rev2 ready',
      'C: a1 LOGIN bob@example.net builder',
      'S: a1 OK LOGIN completed',
      'C: a2 FETCH 1 (BODY[])',
      'S: * 1 FETCH (BODY[] {12}',
      'S: Subject: x',
      'S: )',
      'S: a2 NO no such message',
      'C: a3 IDLE',
      'S: + idling',
      'C: DONE',
      'S: a4 BAD unknown command',
    ]);
    const keys = s.map((ev) => explainIn(s, ev).items[0]);
    expect(keys[0]).toEqual({ key: 'ui.explain.imap.untagged', params: { what: 'OK' } });
    expect(keys[1]).toEqual({ key: 'ui.explain.imap.command', params: { tag: 'a1', verb: 'LOGIN' } });
    expect(keys[2]).toEqual({ key: 'ui.explain.imap.ok', params: { tag: 'a1' } });
    expect(keys[4]).toEqual({ key: 'ui.explain.imap.untagged', params: { what: '1 FETCH' } });
    expect(keys[5].key).toBe('ui.explain.imap.literal');
    expect(keys[6].key).toBe('ui.explain.unknown');
    expect(keys[7].key).toBe('ui.explain.imap.no');
    expect(keys[9].key).toBe('ui.explain.continuation');
    expect(keys[10].key).toBe('ui.explain.imap.done');
    expect(keys[11].key).toBe('ui.explain.imap.bad');
  });
});

describe('explain, other kinds', () => {
  it('explains DNS packets, actions and TLS records', () => {
    const [q, a] = sampleEvents.filter((e) => e.kind === 'packet');
    expect(explain(q, { previous: [] }).items[0]).toEqual({ key: 'ui.explain.dns.query', params: { question: 'MX example.net.?' } });
    expect(explain(a, { previous: [] }).items[0].key).toBe('ui.explain.dns.answer');
    const act = explain(sampleEvents[0], { previous: [] });
    expect(act.items[0].key).toBe('action.alice-sends');
    expect(act.items[0].params?.actor).toBe('alice-laptop');
    const tls = sampleEvents.find((e) => e.kind === 'tls')!;
    expect(explain(tls, { previous: [] }).items[0].key).toBe('ui.explain.tls-record');
  });
});

describe('explain, from the Go side', () => {
  const ehlo = line(9, 'smtp', 'C', 'EHLO smtp.example.org');

  it('uses ev.explain when the event carries one: key, details, params and RFC; the badge stays', () => {
    const ev: MailEvent = {
      ...ehlo,
      explain: { key: 'explain.smtp.ehlo', params: { host: 'smtp.example.org' }, details: ['explain.smtp.ehlo-ext'], rfc: 'RFC 5321 §4.1.1.1', class: '' },
    };
    const e = explain(ev, { previous: [] });
    expect(e.badge).toBe('EHLO');
    expect(e.items).toEqual([
      { key: 'explain.smtp.ehlo', params: { host: 'smtp.example.org' } },
      { key: 'explain.smtp.ehlo-ext', params: { host: 'smtp.example.org' } },
    ]);
    expect(e.rfc).toBe('RFC 5321 §4.1.1.1');
    expect(fromWire(ev)?.generic).toBe(false);
  });

  it('prefers the stub to the Go side\'s generic fallback, unless the stub knows nothing either', () => {
    const generic = { key: 'explain.generic.client', params: { proto: 'SMTP' }, generic: true };
    expect(explain({ ...ehlo, explain: generic }, { previous: [] }).items[0].key).toBe('ui.explain.command');
    const odd: MailEvent = { ...line(9, 'smtp', 'S', 'what?'), explain: { ...generic, key: 'explain.generic.server' } };
    expect(explain(odd, { previous: [] }).items[0].key).toBe('explain.generic.server');
  });

  it('falls back to the stub without ev.explain, and says nothing for an empty key', () => {
    expect(fromWire(ehlo)).toBeUndefined();
    expect(fromWire({ ...ehlo, explain: { key: '' } })).toBeUndefined();
    expect(explain(ehlo).items[0].key).toBe('ui.explain.command');
  });
});
