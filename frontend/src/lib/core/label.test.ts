import { describe, expect, it } from 'vitest';
import { lineText, redact, shortLabel } from './label';
import { line, sampleEvents } from './testdata';

describe('shortLabel', () => {
  const cases: [string, string, 'C' | 'S', string, string][] = [
    ['smtp greeting', 'smtp', 'S', '220 mx.example.net ESMTP', '220'],
    ['smtp continuation', 'smtp', 'S', '250-PIPELINING', '250'],
    ['smtp ehlo', 'smtp', 'C', 'EHLO smtp.example.org', 'EHLO'],
    ['smtp mail from', 'submission', 'C', 'MAIL FROM:<alice@example.org>', 'MAIL FROM'],
    ['smtp rcpt to', 'smtp', 'C', 'RCPT TO:<bob@example.net>', 'RCPT TO'],
    ['smtp data line', 'smtp', 'C', 'Subject: a rather long subject line', 'Subject: a rath…'],
    ['pop3 retr', 'pop3', 'C', 'RETR 1', 'RETR 1'],
    ['pop3 user hides the name', 'pop3', 'C', 'USER bob@example.net', 'USER'],
    ['pop3 ok', 'pop3', 'S', '+OK 2 messages', '+OK'],
    ['pop3 err', 'pop3', 'S', '-ERR no such message', '-ERR'],
    ['imap login', 'imap', 'C', 'a1 LOGIN bob@example.net builder', 'LOGIN'],
    ['imap fetch', 'imap', 'C', 'a3 FETCH 1 (BODY[])', 'FETCH 1'],
    ['imap uid fetch', 'imap', 'C', 'a3 UID FETCH 1:* (FLAGS)', 'UID FETCH 1:*'],
    ['imap untagged', 'imap', 'S', '* 1 EXISTS', '* 1 EXISTS'],
    ['imap untagged ok', 'imap', 'S', '* OK [UIDVALIDITY 1] UIDs valid', '* OK'],
    ['imap tagged', 'imap', 'S', 'a1 OK LOGIN completed', 'a1 OK'],
    ['imap continuation', 'imap', 'S', '+ idling', '+'],
    ['imap done', 'imap', 'C', 'DONE', 'DONE'],
  ];
  for (const [name, proto, dir, text, want] of cases) {
    it(name, () => expect(shortLabel(line(1, proto, dir, text))).toBe(want));
  }

  it('labels DNS packets', () => {
    const [q, a] = sampleEvents.filter((e) => e.kind === 'packet');
    expect(shortLabel(q)).toBe('MX example.net.?');
    expect(shortLabel(a)).toBe('MX 10 mx.example.net.');
    expect(shortLabel({ ...a, text: 'ANSWER A mx.example.net. → 127.0.0.1' })).toBe('A 127.0.0.1');
    expect(shortLabel({ ...q, text: 'QUERY MX example.net.' })).toBe('MX example.net.?');
  });
});

describe('credentials', () => {
  it('redacts like the Go side', () => {
    expect(redact('PASS builder')).toBe('PASS ********');
    expect(redact('a1 LOGIN bob@example.net builder')).toBe('a1 LOGIN bob@example.net ********');
    expect(redact('AGJvYgBidWlsZGVy')).toBe('********');
    expect(redact('AUTH PLAIN AGJvYgBidWlsZGVy')).toBe('AUTH PLAIN ********');
    expect(redact('APOP bob@example.net c4c9334bac560ecc979e58001b3e22fb')).toBe('APOP bob@example.net ********');
    expect(redact('a2 AUTHENTICATE PLAIN AGJvYgBidWlsZGVy')).toBe('a2 AUTHENTICATE PLAIN ********');
  });

  it('hides a password with spaces whole', () => {
    expect(redact('PASS my secret pw')).toBe('PASS ********');
    expect(redact('a1 LOGIN bob@example.net "my secret pw"')).toBe('a1 LOGIN bob@example.net ********');
    expect(redact('my secret pw')).toBe('********'); // an IMAP literal on a line of its own
    expect(redact('PASS')).toBe('********');
  });

  it('hides credential lines unless revealed', () => {
    const ev = line(1, 'pop3', 'C', 'PASS builder', { credential: true });
    expect(lineText(ev)).toBe('PASS ********');
    expect(lineText(ev, true)).toBe('PASS builder');
    expect(shortLabel(ev)).toBe('PASS');
  });
});
