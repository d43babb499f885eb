/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strictBase64 } from './sasl';
import { authPlain, authPlainLine, demoAccount, TermTracker } from './terminal';
import { matchEvent } from './terminal-match';
import { allDescKeys, suggest } from './terminal-verbs';
import type { MailEvent, TerminalEntry, TerminalTarget } from './types';

const mx: TerminalTarget = { host: 'mx.example.net', port: 25, proto: 'smtp', tls: 'starttls', addr: '127.0.0.1:20025' };
const msa: TerminalTarget = { host: 'smtp.example.org', port: 587, proto: 'submission', tls: 'starttls', addr: '127.0.0.1:10587' };
const msaTLS: TerminalTarget = { ...msa, port: 465, tls: 'implicit', addr: '127.0.0.1:10465' };
const pop3: TerminalTarget = { host: 'mail.example.net', port: 110, proto: 'pop3', tls: 'starttls', addr: '127.0.0.1:20110' };
const pop3s: TerminalTarget = { ...pop3, port: 995, tls: 'implicit' };
const imap: TerminalTarget = { host: 'mail.example.net', port: 143, proto: 'imap', tls: 'starttls', addr: '127.0.0.1:20143' };

/** A script line: "C: text" sent, "S: text" received, "TLS" handshake done. */
function session(target: TerminalTarget, script: string[]): TermTracker {
  const t = new TermTracker(target);
  for (const s of script) {
    if (s === 'TLS') t.feed({ kind: 'tls', text: '' });
    else if (s === 'CLOSED') t.feed({ kind: 'closed', text: '' });
    else t.feed({ kind: s.startsWith('C: ') ? 'sent' : 'received', text: s.slice(3) });
  }
  return t;
}

const greeted = ['S: 220 mx.example.net ESMTP Maillab'];
const ehlo = [...greeted, 'C: EHLO student.example.com', 'S: 250-mx.example.net Hello student.example.com', 'S: 250-PIPELINING', 'S: 250 STARTTLS'];
const envelope = [...ehlo, 'C: MAIL FROM:<student@example.com>', 'S: 250 2.1.0 Sender <student@example.com> OK', 'C: RCPT TO:<bob@example.net>', 'S: 250 2.1.5 Recipient <bob@example.net> OK'];
const inData = [...envelope, 'C: DATA', 'S: 354 Go ahead. End your data with <CR><LF>.<CR><LF>'];
const msaGreeted = ['S: 220 smtp.example.org ESMTP', 'C: EHLO laptop', 'S: 250-smtp.example.org Hello laptop', 'S: 250 STARTTLS'];
const msaTls = [...msaGreeted, 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', 'TLS'];
const msaAuthed = [...msaTls, 'C: EHLO laptop', 'S: 250-smtp.example.org Hello laptop', 'S: 250 AUTH PLAIN LOGIN', `C: AUTH PLAIN ${authPlain('alice@example.org', 'wonderland')}`, 'S: 235 2.0.0 Authentication succeeded'];

const hintCases: [string, TerminalTarget, string[], string, string | null, Record<string, string>?][] = [
  // SMTP on port 25
  ['waits for the greeting', mx, [], '', null],
  ['after the greeting: EHLO', mx, greeted, '', 'smtp.next.ehlo'],
  ['MAIL before EHLO', mx, greeted, 'MAIL FROM:<a@example.com>', 'smtp.mail-before-helo'],
  ['RCPT before MAIL', mx, ehlo, 'RCPT TO:<x>', 'smtp.rcpt-before-mail'],
  ['the verb alone already warns', mx, ehlo, 'RCPT', 'smtp.rcpt-before-mail'],
  ['DATA before MAIL', mx, ehlo, 'DATA', 'smtp.data-before-mail'],
  ['DATA before RCPT', mx, [...ehlo, 'C: MAIL FROM:<a@example.com>', 'S: 250 2.1.0 Sender <a@example.com> OK'], 'DATA', 'smtp.data-before-rcpt'],
  ['DATA in order', mx, envelope, 'DATA', 'smtp.data-next'],
  ['next: MAIL', mx, ehlo, '', 'smtp.next.mail', { from: 'student@example.com' }],
  ['next: RCPT', mx, [...ehlo, 'C: MAIL FROM:<a@example.com>', 'S: 250 2.1.0 Sender <a@example.com> OK'], '', 'smtp.next.rcpt'],
  ['next: DATA', mx, envelope, '', 'smtp.next.data', { to: 'bob@example.net' }],
  ['a refused MAIL opens nothing', mx, [...ehlo, 'C: MAIL alice', 'S: 501 5.5.2 Was expecting MAIL arg syntax of FROM:<address>'], 'RCPT TO:<bob@example.net>', 'smtp.rcpt-before-mail'],
  ['MAIL syntax', mx, ehlo, 'MAIL alice@example.com', 'smtp.mail-syntax'],
  ['RCPT syntax', mx, envelope, 'RCPT bob@example.net', 'smtp.rcpt-syntax'],
  ['no relay on the MX', mx, envelope, 'RCPT TO:<someone@example.org>', 'smtp.relay-denied', { domain: 'example.org', own: 'example.net', host: 'mx.example.net' }],
  ['own domain is fine', mx, envelope, 'RCPT TO:<Bob@Example.NET>', null],
  ['AUTH on the MX', mx, ehlo, 'AUTH PLAIN AGI=', 'smtp.auth-on-mx'],
  ['HELP is not implemented', mx, ehlo, 'HELP', 'smtp.not-implemented', { verb: 'HELP' }],
  ['unknown verb', mx, ehlo, 'HELLO there', 'smtp.unknown', { verb: 'HELLO', code: '500' }],
  ['unknown four-letter verb', mx, ehlo, 'FROB x', 'smtp.unknown', { verb: 'FROB', code: '500' }],
  ['unknown short verb', mx, ehlo, 'XY', 'smtp.unknown', { verb: 'XY', code: '500' }],
  ['typing a verb: no warning yet', mx, ehlo, 'MA', null],
  ['EHLO needs a name', mx, greeted, 'EHLO', 'smtp.helo-syntax', { verb: 'EHLO' }],
  ['pipelined: the reply is still on its way', mx, [...ehlo, 'C: MAIL FROM:<a@example.com>'], '', null],
  // inside DATA
  ['354: the message follows', mx, inData, '', 'smtp.data-mode'],
  ['a header line', mx, inData, 'Subject: hello', 'smtp.data-mode'],
  ['the lone dot', mx, inData, '.', 'smtp.data-end'],
  ['dot-stuffing', mx, inData, '.hidden', 'smtp.dot-stuffing'],
  ['a command inside DATA is text', mx, inData, 'QUIT', 'smtp.in-data', { verb: 'QUIT' }],
  ['ordinary words are text', mx, inData, 'Quit smoking', 'smtp.data-mode'],
  ['a forged From: meets DMARC', mx, inData, 'From: Alice <alice@example.org>', 'smtp.dmarc', { domain: 'example.org' }],
  ['after the dot: accepted', mx, [...inData, 'C: Subject: x', 'C: ', 'C: hi', 'C: .', 'S: 250 2.0.0 Ok: delivered to the mailbox'], '', 'smtp.next.done'],
  ['after the dot, MAIL again', mx, [...inData, 'C: .', 'S: 250 2.0.0 Ok'], 'RCPT TO:<bob@example.net>', 'smtp.rcpt-before-mail'],
  ['closed', mx, [...ehlo, 'C: QUIT', 'S: 221 2.0.0 Bye', 'CLOSED'], 'NOOP', 'closed'],
  // submission on 587
  ['AUTH before STARTTLS', msa, msaGreeted, `AUTH PLAIN ${authPlain('alice@example.org', 'wonderland')}`, 'smtp.auth-before-starttls'],
  ['a bare AUTH before STARTTLS: 501 comes first', msa, msaGreeted, 'AUTH', 'smtp.auth-syntax'],
  ['MAIL before STARTTLS', msa, msaGreeted, 'MAIL FROM:<alice@example.org>', 'smtp.mail-before-starttls'],
  ['next on 587: STARTTLS', msa, msaGreeted, '', 'smtp.next.starttls'],
  ['STARTTLS explained', msa, msaGreeted, 'STARTTLS', 'smtp.starttls-next'],
  ['after STARTTLS: EHLO again', msa, msaTls, '', 'smtp.next.ehlo-again'],
  ['after STARTTLS MAIL needs EHLO', msa, msaTls, 'MAIL FROM:<alice@example.org>', 'smtp.ehlo-after-tls'],
  ['after STARTTLS AUTH needs EHLO', msa, msaTls, 'AUTH PLAIN AGE=', 'smtp.ehlo-after-tls'],
  ['MAIL before AUTH', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org'], 'MAIL FROM:<alice@example.org>', 'smtp.mail-before-auth'],
  ['next: AUTH', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org'], '', 'smtp.next.auth'],
  ['AUTH PLAIN explained', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org'], `AUTH PLAIN ${authPlain('a', 'b')}`, 'smtp.auth-base64'],
  ['AUTH PLAIN that is no PLAIN', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org'], 'AUTH PLAIN aGVsbG8=', 'smtp.auth-bad-plain'],
  ['AUTH with another mechanism', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org'], 'AUTH CRAM-MD5', 'smtp.auth-mech', { mech: 'CRAM-MD5' }],
  ['logged in: MAIL', msa, msaAuthed, '', 'smtp.next.mail', { from: 'alice@example.org' }],
  ['logged in: RCPT', msa, [...msaAuthed, 'C: MAIL FROM:<alice@example.org>', 'S: 250 ok'], '', 'smtp.next.rcpt', { to: 'bob@example.net' }],
  ['logged in: AUTH again', msa, msaAuthed, 'AUTH LOGIN', 'smtp.auth-again'],
  ['someone else\'s sender', msa, msaAuthed, 'MAIL FROM:<bob@example.net>', 'smtp.sender-not-owned', { user: 'alice@example.org' }],
  ['own sender', msa, msaAuthed, 'MAIL FROM:<Alice@example.org>', null],
  ['AUTH PLAIN after 334', msa, [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org', 'C: AUTH PLAIN', 'S: 334 '], 'AGFsaWNl', 'smtp.sasl-response'],
  [
    'AUTH PLAIN with a continuation logs in',
    msa,
    [...msaTls, 'C: EHLO laptop', 'S: 250 smtp.example.org', 'C: AUTH PLAIN', 'S: 334 ', `C: ${authPlain('alice@example.org', 'wonderland')}`, 'S: 235 2.0.0 Authentication succeeded'],
    'MAIL FROM:<carol@example.org>',
    'smtp.sender-not-owned',
    { user: 'alice@example.org' },
  ],
  ['465 is TLS already', msaTLS, ['TLS', 'S: 220 smtp.example.org ESMTP'], 'STARTTLS', 'smtp.starttls-already'],
  ['465: AUTH before EHLO', msaTLS, ['TLS', 'S: 220 smtp.example.org ESMTP'], 'AUTH PLAIN AGE=', 'smtp.auth-before-helo'],
  ['465: next is AUTH after EHLO', msaTLS, ['TLS', 'S: 220 smtp.example.org ESMTP', 'C: EHLO x', 'S: 250 smtp.example.org'], '', 'smtp.next.auth'],
  // POP3
  ['POP3: next USER', pop3s, ['TLS', 'S: +OK POP3 ready'], '', 'pop3.next.user'],
  ['POP3: next STLS on 110', pop3, ['S: +OK POP3 ready'], '', 'pop3.next.stls'],
  ['PASS before USER', pop3, ['S: +OK POP3 ready'], 'PASS builder', 'pop3.pass-before-user', { user: 'bob@example.net' }],
  ['RETR before login', pop3, ['S: +OK POP3 ready'], 'RETR 1', 'pop3.before-login', { verb: 'RETR', user: 'bob@example.net', password: 'builder' }],
  ['LIST before login', pop3, ['S: +OK POP3 ready'], 'LIST', 'pop3.before-login', { verb: 'LIST', user: 'bob@example.net', password: 'builder' }],
  ['USER in plain text', pop3, ['S: +OK POP3 ready'], 'USER bob@example.net', 'pop3.plaintext', { verb: 'USER' }],
  ['USER under TLS', pop3s, ['TLS', 'S: +OK POP3 ready'], 'USER bob@example.net', null],
  ['STLS on 995', pop3s, ['TLS', 'S: +OK POP3 ready'], 'STLS', 'pop3.stls-already'],
  ['after USER: PASS', pop3, ['S: +OK ready', 'C: USER bob@example.net', 'S: +OK send PASS'], '', 'pop3.next.pass'],
  ['a wrong PASS: USER again', pop3, ['S: +OK ready', 'C: USER bob@example.net', 'S: +OK send PASS', 'C: PASS x', 'S: -ERR [AUTH] invalid'], 'PASS builder', 'pop3.pass-before-user'],
  ['logged in', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], '', 'pop3.next.transaction'],
  ['RETR needs a number', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], 'RETR', 'pop3.syntax', { verb: 'RETR', example: 'RETR 1' }],
  ['USER after login', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], 'USER bob', 'pop3.already-logged-in', { verb: 'USER' }],
  ['STLS after login', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], 'STLS', 'pop3.stls-after-login'],
  ['DELE explained', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], 'DELE 1', 'pop3.dele'],
  ['QUIT deletes', pop3, ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop'], 'QUIT', 'pop3.quit-update'],
  [
    'a listing is not a reply',
    pop3,
    ['S: +OK ready', 'C: USER bob', 'S: +OK', 'C: PASS builder', 'S: +OK maildrop', 'C: LIST', 'S: +OK 2 messages', 'S: 1 120', 'S: +OK 99', 'S: .', 'C: NOOP', 'S: +OK'],
    '',
    'pop3.next.transaction',
  ],
  ['POP3 unknown', pop3, ['S: +OK ready'], 'HELO x', 'pop3.unknown', { verb: 'HELO' }],
  // IMAP
  ['IMAP: next LOGIN', imap, ['S: * OK [CAPABILITY IMAP4rev2] ready'], '', 'imap.next.login', { tag: 'a1', user: 'bob@example.net', password: 'builder' }],
  ['SELECT before LOGIN', imap, ['S: * OK ready'], 'a1 SELECT INBOX', 'imap.before-login', { verb: 'SELECT', tag: 'a1', user: 'bob@example.net', password: 'builder' }],
  ['FETCH before LOGIN', imap, ['S: * OK ready'], 'a1 FETCH 1 BODY[]', 'imap.before-login-select', { verb: 'FETCH' }],
  ['no tag', imap, ['S: * OK ready'], 'LOGIN bob@example.net builder', 'imap.no-tag', { tag: 'a1', verb: 'LOGIN' }],
  ['a verb alone has no tag', imap, ['S: * OK ready'], 'CAPABILITY', 'imap.no-tag', { tag: 'a1', verb: 'CAPABILITY' }],
  ['LOGIN in plain text', imap, ['S: * OK ready'], 'a1 LOGIN bob@example.net builder', 'imap.plaintext', { verb: 'LOGIN', tag: 'a1' }],
  ['LOGIN refused before STARTTLS', imap, ['S: * OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] ready'], 'a1 LOGIN bob@example.net builder', 'imap.login-disabled', { verb: 'LOGIN', tag: 'a1' }],
  ['IMAP: next STARTTLS when LOGINDISABLED', imap, ['S: * OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] ready'], '', 'imap.next.starttls', { tag: 'a1', user: 'bob@example.net', password: 'builder' }],
  ['LOGIN syntax', imap, ['S: * OK ready'], 'a1 LOGIN bob', 'imap.syntax', { verb: 'LOGIN', example: 'a1 LOGIN bob@example.net builder' }],
  ['typing the verb', imap, ['S: * OK ready'], 'a1 LOG', null],
  ['unknown IMAP verb', imap, ['S: * OK ready'], 'a1 HELO x', 'imap.unknown', { verb: 'HELO' }],
  ['FETCH before SELECT', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK LOGIN completed'], 'a2 FETCH 1 BODY[]', 'imap.before-select', { verb: 'FETCH', tag: 'a2' }],
  ['next: SELECT', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK LOGIN completed'], '', 'imap.next.select', { tag: 'a2' }],
  ['LOGIN again', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK done'], 'a2 LOGIN bob builder', 'imap.already-logged-in', { verb: 'LOGIN' }],
  ['STARTTLS after LOGIN', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK done'], 'a2 STARTTLS', 'imap.starttls-after-login', { verb: 'STARTTLS' }],
  ['a failed LOGIN', imap, ['S: * OK ready', 'C: a1 LOGIN bob x', 'S: a1 NO [AUTHENTICATIONFAILED] bad'], 'a2 SELECT INBOX', 'imap.before-login', { verb: 'SELECT', tag: 'a2', user: 'bob@example.net', password: 'builder' }],
  ['selected: FETCH BODY[] sets \\Seen', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: * 1 EXISTS', 'S: a2 OK [READ-WRITE] SELECT'], 'a3 FETCH 1 BODY[]', 'imap.fetch-seen'],
  ['BODY.PEEK does not', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK'], 'a3 FETCH 1 BODY.PEEK[]', null],
  ['next: FETCH', imap, ['S: * OK ready', 'C: a1 LOGIN bob builder', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK'], '', 'imap.next.fetch', { tag: 'a3' }],
  ['a failed SELECT closes the folder', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 SELECT Nope', 'S: a3 NO no such mailbox'], 'a4 FETCH 1 FLAGS', 'imap.before-select', { verb: 'FETCH', tag: 'a4' }],
  ['a tag still in use', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX'], 'a2 NOOP', 'imap.tag-in-use', { tag: 'a2' }],
  ['IDLE: only DONE', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 IDLE', 'S: + idling'], 'a4 NOOP', 'imap.idle-done'],
  ['IDLE: DONE', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 IDLE', 'S: + idling'], 'done', 'imap.done'],
  ['IDLE: waiting', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 IDLE', 'S: + idling', 'S: * 2 EXISTS'], '', 'imap.next.idle'],
  ['after IDLE', imap, ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 IDLE', 'S: + idling', 'C: DONE', 'S: a3 OK IDLE done'], '', 'imap.next.fetch', { tag: 'a4' }],
  ['DONE without IDLE', imap, ['S: * OK ready'], 'DONE', 'imap.done-not-idle'],
  [
    'a literal is message text',
    imap,
    ['S: * OK ready', 'C: a1 LOGIN b p', 'S: a1 OK', 'C: a2 SELECT INBOX', 'S: a2 OK', 'C: a3 FETCH 1 BODY[]', 'S: * 1 FETCH (BODY[] {16}', 'S: a3 OK fake', 'S: ok', 'S: )'],
    'a3 NOOP',
    'imap.tag-in-use',
    { tag: 'a3' },
  ],
  ['PREAUTH', imap, ['S: * PREAUTH welcome'], 'a1 SELECT INBOX', null],
  ['AUTHENTICATE continuation', imap, ['S: * OK ready', 'C: a1 AUTHENTICATE PLAIN', 'S: + '], 'AGJvYgBidWlsZGVy', 'imap.sasl-response'],
];

describe('terminal hints', () => {
  it.each(hintCases)('%s', (_name, target, script, draft, key, params) => {
    const h = session(target, script).hint(draft);
    expect(h?.key ?? null).toBe(key === null ? null : `terminal.hint.${key}`);
    if (params) expect(h?.params).toEqual(params);
  });

  it('says which verbs the server accepts now', () => {
    const t = session(mx, ehlo);
    expect(t.allows('MAIL')).toBe(true);
    expect(t.allows('RCPT')).toBe(false);
    expect(session(imap, ['S: * OK ready']).allows('SELECT')).toBe(false);
  });

  it('counts IMAP tags past the ones the user chose', () => {
    const t = session(imap, ['S: * OK ready', 'C: a1 CAPABILITY', 'C: a2 NOOP', 'C: a4 NOOP']);
    expect(t.nextTag()).toBe('a5');
    const u = session(imap, ['S: * OK ready', 'C: a1 NOOP', 'C: a3 NOOP']);
    expect(u.nextTag()).toBe('a4');
    const w = session(imap, ['S: * OK ready', 'C: x NOOP']);
    expect(w.nextTag()).toBe('a2');
  });

  it('knows when DATA mode starts and ends', () => {
    const t = session(mx, inData);
    expect(t.inData).toBe(true);
    t.feed({ kind: 'sent', text: '.' });
    expect(t.inData).toBe(false);
  });
});

describe('AUTH PLAIN helper', () => {
  it('builds the RFC 4616 example', () => {
    expect(authPlain('tim', 'tanstaaftanstaaf')).toBe('AHRpbQB0YW5zdGFhZnRhbnN0YWFm');
  });
  it('encodes UTF-8', () => {
    expect(strictBase64(authPlain('zoë@example.org', 'pässwörd'))).toBe('\0zoë@example.org\0pässwörd');
  });
  it('writes the command per protocol', () => {
    expect(authPlainLine('submission', 'AGE=', '')).toBe('AUTH PLAIN AGE=');
    expect(authPlainLine('pop3', 'AGE=', '')).toBe('AUTH PLAIN AGE=');
    expect(authPlainLine('imap', 'AGE=', 'a3')).toBe('a3 AUTHENTICATE PLAIN AGE=');
  });
  it('pre-fills the provider\'s demo account', () => {
    expect(demoAccount('smtp.example.org').user).toBe('alice@example.org');
    expect(demoAccount('mail.example.net')).toEqual({ user: 'bob@example.net', password: 'builder' });
  });
});

describe('completion', () => {
  const lines = (proto: TerminalTarget, script: string[], draft: string) => {
    const t = session(proto, script);
    return suggest(proto.proto, draft, t).map((s) => s.line);
  };
  it.each([
    ['a verb', mx, ehlo, 'ma', ['MAIL FROM:<']],
    ['lower or upper case', mx, ehlo, 'Ehl', ['EHLO ']],
    ['both AUTH forms', msa, msaGreeted, 'AUTH', ['AUTH PLAIN ', 'AUTH LOGIN']],
    ['what is accepted first', mx, ehlo, 'R', ['RSET', 'RCPT TO:<']],
    ['nothing once the verb is typed', mx, ehlo, 'EHLO ', []],
    ['nothing for an empty line', mx, ehlo, '', []],
    ['nothing inside DATA', mx, inData, 'QU', []],
    ['POP3', pop3, ['S: +OK'], 'R', ['RETR ', 'RSET']],
    ['IMAP: the next tag', imap, ['S: * OK ready'], 'sel', ['a1 SELECT ']],
    ['IMAP: a tag typed', imap, ['S: * OK ready'], 'x7 cap', ['x7 CAPABILITY']],
    ['IMAP: DONE has no tag', imap, ['S: * OK ready'], 'do', ['DONE']],
  ] as [string, TerminalTarget, string[], string, string[]][])('%s', (_n, target, script, draft, want) => {
    expect(lines(target, script, draft)).toEqual(want);
  });

  it('lists every verb after an IMAP tag, the allowed ones first', () => {
    const t = session(imap, ['S: * OK ready']);
    const s = suggest('imap', 'a1 ', t);
    expect(s.length).toBe(16);
    expect(s[0].allowed).toBe(true);
    expect(s.at(-1)!.allowed).toBe(false);
    expect(s.find((x) => x.label === 'SELECT')?.example).toBe('a1 SELECT INBOX');
  });
});

describe('matching a terminal line to the run', () => {
  const entry = (n: number, kind: TerminalEntry['kind'], text: string): TerminalEntry => ({ term: 1, n, kind, text, time: '' });
  const line = (seq: number, dir: 'C' | 'S', text: string, clientAddr = '127.0.0.1:5555'): MailEvent => ({ seq, kind: 'line', dir, text, clientAddr });
  const entries = [entry(0, 'received', '250 OK'), entry(1, 'sent', 'NOOP'), entry(2, 'received', '250 OK'), entry(3, 'info', 'x')];
  const events = [line(1, 'S', '250 OK', '127.0.0.1:1'), line(2, 'S', '250 OK'), line(3, 'C', 'NOOP'), line(4, 'S', '250 OK')];
  it.each([
    [0, 2],
    [1, 3],
    [2, 4],
    [3, undefined],
  ])('entry %i is line %s', (i, seq) => {
    expect(matchEvent(entries, i, events, '127.0.0.1:5555')?.seq).toBe(seq);
  });
});

describe('terminal catalog', () => {
  const dir = join(__dirname);
  const catalogDir = join(__dirname, '..', '..', '..', '..', 'lessons', 'i18n', 'catalog');
  const used = new Set(allDescKeys());
  for (const f of ['terminal.ts', 'terminal-smtp.ts', 'terminal-pop3.ts', 'terminal-imap.ts']) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\b(?:warn|info)\(\s*['"]([a-z0-9.-]+)['"]/g)) used.add(`terminal.hint.${m[1]}`);
  }
  for (const f of ['terminal-smtp.ts', 'terminal-pop3.ts', 'terminal-imap.ts']) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'((?:smtp|pop3|imap)\.[a-z.-]+)'/g)) used.add(`terminal.hint.${m[1]}`);
  }

  it('finds the keys', () => expect(used.size).toBeGreaterThan(80));
  for (const lang of ['en', 'de', 'pl']) {
    it(`has every terminal key in ${lang}.json`, () => {
      const cat = JSON.parse(readFileSync(join(catalogDir, `${lang}.json`), 'utf8')) as Record<string, string>;
      expect([...used].filter((k) => !(k in cat))).toEqual([]);
    });
  }
});
