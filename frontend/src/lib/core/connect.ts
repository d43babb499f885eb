// The "Connect your own mail client" page without the page: how a server
// row reads and the terminal commands that try each server, built from the
// settings the Go side computed from the port map.

import type { MailServerSetting, ProviderSettings } from './types';

export const protocolNames: Record<MailServerSetting['protocol'], string> = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' };

/** rowParams fills "{proto}, port {port} — here {addr}". */
export function rowParams(s: MailServerSetting): Record<string, string> {
  return { proto: protocolNames[s.protocol], port: String(s.wellKnown), addr: s.addr };
}

/** servers lists a provider's servers as the page groups them: IMAP, POP3, then SMTP. */
export function serverGroups(p: ProviderSettings): { key: string; servers: MailServerSetting[] }[] {
  return [
    { key: 'ui.connect.incoming-imap', servers: p.incoming.filter((s) => s.protocol === 'imap') },
    { key: 'ui.connect.incoming-pop3', servers: p.incoming.filter((s) => s.protocol === 'pop3') },
    { key: 'ui.connect.outgoing', servers: p.outgoing },
  ].filter((g) => g.servers.length > 0);
}

/** baseOf is what this provider adds to the well-known ports (10000 for example.org by default). */
export function baseOf(p: ProviderSettings): number | undefined {
  const s = p.incoming[0] ?? p.outgoing[0];
  return s ? s.port - s.wellKnown : undefined;
}

/** shellQuote leaves plain words alone and puts anything else in POSIX single quotes. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\-.,/:@%+=]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A command to paste into a terminal, with the i18n key of what it does. */
export interface Command {
  what: string;
  params?: Record<string, string>;
  lines: string[];
}

const find = (p: ProviderSettings, service: string) => [...p.incoming, ...p.outgoing].find((s) => s.service === service);

/**
 * commands are the first things to try by hand against provider p: an
 * encrypted IMAP session with openssl, the inbox and a sent mail with curl,
 * and SMTP typed by hand to the provider's MX (port 25, no login). caFile
 * '' falls back to the file name the page offers as a download.
 */
export function commands(p: ProviderSettings, all: ProviderSettings[], caFile: string): Command[] {
  const ca = shellQuote(caFile || 'maillab-ca.pem');
  const user = shellQuote(`${p.address}:${p.password}`);
  const peer = all.find((x) => x.domain !== p.domain) ?? p;
  const out: Command[] = [];
  const imaps = find(p, 'imaps');
  const imap = find(p, 'imap');
  const submission = find(p, 'submission');
  if (imaps) {
    out.push({
      what: 'ui.connect.try.openssl',
      params: { login: `a LOGIN ${p.address} ${p.password}` },
      lines: [`openssl s_client -connect ${imaps.addr} -CAfile ${ca}`],
    });
    out.push({ what: 'ui.connect.try.curl-imap', lines: [`curl --url imaps://${imaps.addr}/INBOX --cacert ${ca} --user ${user}`] });
  }
  if (imap) {
    out.push({ what: 'ui.connect.try.starttls', lines: [`openssl s_client -connect ${imap.addr} -starttls imap -CAfile ${ca}`] });
  }
  if (submission) {
    out.push({
      what: 'ui.connect.try.curl-smtp',
      params: { to: peer.address },
      lines: [
        `printf 'Subject: Hello\\r\\n\\r\\nHi!\\r\\n' > mail.txt`,
        `curl --url smtp://${submission.addr} --ssl-reqd --cacert ${ca} --user ${user} ` +
          `--mail-from ${p.address} --mail-rcpt ${peer.address} --upload-file mail.txt`,
      ],
    });
  }
  const base = baseOf(p);
  const host = (imaps ?? imap ?? submission)?.hostname;
  if (base !== undefined && host) {
    const port = String(base + 25);
    out.push({
      what: 'ui.connect.try.telnet',
      params: { host: `mx.${p.domain}`, nc: `nc -C ${host} ${port}` },
      lines: [`telnet ${host} ${port}`],
    });
  }
  return out;
}
