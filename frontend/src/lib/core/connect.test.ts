import { describe, expect, it } from 'vitest';
import { clientSettingsFixture } from '../testing/client-settings';
import { baseOf, commands, rowParams, serverGroups, shellQuote } from './connect';
import { shortcutFor, shortcutHelp } from './keys';
import type { ProviderSettings } from './types';

const [alice, bob] = clientSettingsFixture.providers;

describe('rowParams', () => {
  it.each([
    [alice.incoming[0], { proto: 'IMAP', port: '993', addr: '127.0.0.1:10993' }],
    [bob.incoming[1], { proto: 'IMAP', port: '143', addr: '127.0.0.1:20143' }],
    [bob.incoming[3], { proto: 'POP3', port: '110', addr: '127.0.0.1:20110' }],
    [alice.outgoing[1], { proto: 'SMTP', port: '587', addr: '127.0.0.1:10587' }],
  ])('%o', (s, want) => expect(rowParams(s)).toEqual(want));
});

describe('serverGroups', () => {
  it('groups IMAP, POP3 and SMTP, implicit TLS first', () => {
    const g = serverGroups(bob);
    expect(g.map((x) => x.key)).toEqual(['ui.connect.incoming-imap', 'ui.connect.incoming-pop3', 'ui.connect.outgoing']);
    expect(g.map((x) => x.servers.map((s) => `${s.wellKnown}/${s.security}/${s.port}`))).toEqual([
      ['993/SSL/20993', '143/STARTTLS/20143'],
      ['995/SSL/20995', '110/STARTTLS/20110'],
      ['465/SSL/20465', '587/STARTTLS/20587'],
    ]);
  });
  it('leaves out empty groups', () => {
    const onlySmtp: ProviderSettings = { ...alice, incoming: [] };
    expect(serverGroups(onlySmtp).map((x) => x.key)).toEqual(['ui.connect.outgoing']);
  });
});

describe('baseOf', () => {
  it('is the port minus the well-known port', () => {
    expect(baseOf(alice)).toBe(10000);
    expect(baseOf(bob)).toBe(20000);
    expect(baseOf({ ...alice, incoming: [], outgoing: [] })).toBeUndefined();
  });
});

describe('shellQuote', () => {
  it.each([
    ['/tmp/maillab-ca.pem', '/tmp/maillab-ca.pem'],
    ['bob@example.net:builder', 'bob@example.net:builder'],
    ['/home/a b/ca.pem', "'/home/a b/ca.pem'"],
    ["it's", `'it'\\''s'`],
    ['$(rm -rf ~)', "'$(rm -rf ~)'"],
    ['', "''"],
  ])('%s', (s, want) => expect(shellQuote(s)).toBe(want));
});

describe('commands', () => {
  it('tries Bob’s servers with the CA file', () => {
    const c = commands(bob, clientSettingsFixture.providers, '/tmp/maillab-ca.pem');
    const lines = c.flatMap((x) => x.lines);
    expect(lines).toEqual([
      'openssl s_client -connect 127.0.0.1:20993 -CAfile /tmp/maillab-ca.pem',
      'curl --url imaps://127.0.0.1:20993/INBOX --cacert /tmp/maillab-ca.pem --user bob@example.net:builder',
      'openssl s_client -connect 127.0.0.1:20143 -starttls imap -CAfile /tmp/maillab-ca.pem',
      "printf 'Subject: Hello\\r\\n\\r\\nHi!\\r\\n' > mail.txt",
      'curl --url smtp://127.0.0.1:20587 --ssl-reqd --cacert /tmp/maillab-ca.pem --user bob@example.net:builder ' +
        '--mail-from bob@example.net --mail-rcpt alice@example.org --upload-file mail.txt',
      'telnet 127.0.0.1 20025',
    ]);
    expect(c.find((x) => x.what === 'ui.connect.try.openssl')?.params).toEqual({ login: 'a LOGIN bob@example.net builder' });
    expect(c.find((x) => x.what === 'ui.connect.try.telnet')?.params).toEqual({ host: 'mx.example.net', nc: 'nc -C 127.0.0.1 20025' });
  });
  it('writes to the other provider and falls back to the download name', () => {
    const c = commands(alice, clientSettingsFixture.providers, '');
    const smtp = c.find((x) => x.what === 'ui.connect.try.curl-smtp')!;
    expect(smtp.params).toEqual({ to: 'bob@example.net' });
    expect(smtp.lines[1]).toContain('--cacert maillab-ca.pem');
    expect(smtp.lines[1]).toContain('--mail-rcpt bob@example.net');
    expect(c.at(-1)?.lines).toEqual(['telnet 127.0.0.1 10025']);
  });
  it('quotes a CA path with spaces', () => {
    const c = commands(alice, clientSettingsFixture.providers, '/Users/a b/maillab-ca.pem');
    expect(c[0].lines[0]).toBe("openssl s_client -connect 127.0.0.1:10993 -CAfile '/Users/a b/maillab-ca.pem'");
  });
});

describe('the C shortcut', () => {
  it.each([
    [{ key: 'c' }, 'connect'],
    [{ key: 'C' }, 'connect'],
    [{ key: 'c', ctrlKey: true }, null],
    [{ key: 'c', targetTag: 'INPUT', targetType: 'text' }, null],
  ])('%j → %s', (input, want) => expect(shortcutFor(input)).toBe(want));
  it('is listed in the help', () => {
    expect(shortcutHelp).toContainEqual({ keys: ['C'], what: 'ui.help.connect' });
  });
});
