// What `maillab serve` at port base 10000 answers to clientSettings("en"),
// for component tests.

import type { ClientSettings, MailServerSetting, ProviderSettings } from '../core/types';

function servers(domain: string, base: number, address: string): MailServerSetting[] {
  const rows: [MailServerSetting['direction'], MailServerSetting['protocol'], string, number, MailServerSetting['security']][] = [
    ['incoming', 'imap', 'imaps', 993, 'SSL'],
    ['incoming', 'imap', 'imap', 143, 'STARTTLS'],
    ['incoming', 'pop3', 'pop3s', 995, 'SSL'],
    ['incoming', 'pop3', 'pop3', 110, 'STARTTLS'],
    ['outgoing', 'smtp', 'submissions', 465, 'SSL'],
    ['outgoing', 'smtp', 'submission', 587, 'STARTTLS'],
  ];
  return rows.map(([direction, protocol, service, wellKnown, security]) => ({
    direction,
    protocol,
    service,
    host: `${protocol === 'smtp' ? 'smtp' : 'mail'}.${domain}`,
    wellKnown,
    security,
    hostname: '127.0.0.1',
    port: base + wellKnown,
    addr: `127.0.0.1:${base + wellKnown}`,
    username: address,
    auth: 'password-cleartext',
  }));
}

function provider(title: string, domain: string, owner: string, address: string, password: string, base: number): ProviderSettings {
  const all = servers(domain, base, address);
  return {
    title,
    domain,
    owner,
    address,
    password,
    incoming: all.filter((s) => s.direction === 'incoming'),
    outgoing: all.filter((s) => s.direction === 'outgoing'),
    autoconfigUrl: `http://127.0.0.1:8025/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=${address}`,
  };
}

export const clientSettingsFixture: ClientSettings = {
  portMap: true,
  bind: '127.0.0.1',
  portBase: 10000,
  note: '',
  providers: [
    provider("Alice's provider · example.org", 'example.org', 'Alice', 'alice@example.org', 'wonderland', 10000),
    provider("Bob's provider · example.net", 'example.net', 'Bob', 'bob@example.net', 'builder', 20000),
  ],
  caFile: '/tmp/maillab-ca.pem',
  caUrl: 'http://127.0.0.1:8025/maillab-ca.pem',
  ispdbUrl: 'http://127.0.0.1:8025/v1.1/',
};
