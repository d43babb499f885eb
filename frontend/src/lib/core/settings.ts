// The World settings dialog's data (#18): what worldSettings gives, and the
// DNS zone as the text lines the dialog edits (one record per line).

export interface MXRecord {
  preference: number;
  host: string;
}

export interface DNSZone {
  mx?: MXRecord[];
  a?: { name: string; address: string }[];
  spf?: string;
  dkim?: { selector: string; algorithm?: string; key?: string };
  dmarc?: string;
}

export interface AccountSettings {
  address: string;
  /** left out for viewers */
  password?: string;
  /** its own quota: '' the provider's, 'none', '10MiB' */
  quota: string;
  /** the devices that read its mail */
  devices?: string[];
}

export interface PolicySettings {
  starttls: 'offered' | 'required' | 'off';
  greylisting: boolean;
  greylistDelay?: string;
  relayNetworks: string[];
  authChecks: boolean;
  mailboxQuota: string;
  /** AUTH before TLS on 587, 110, 143 (the MSA and the mailbox server restart) */
  plaintextAuth: boolean;
  /** SIZE of the MX: '' the default, '4000', '1MiB' (the MX restarts) */
  mxSizeLimit?: string;
  /** the sending MTA: '' or 'opportunistic', 'required' */
  outgoingTLS?: string;
  /** how long the sending MTA retries deferred mail: '' 5d, '30m', '2d' */
  queueLifetime?: string;
}

export type ServerName = 'mx' | 'submission' | 'mailbox';

export interface ServerState {
  server: ServerName;
  host: string;
  up: boolean;
}

export interface ProviderWorld {
  domain: string;
  accounts: AccountSettings[];
  policy: PolicySettings;
  servers: ServerState[];
  dns: DNSZone;
  /** the classroom provider this Maillab runs in a room: it relays for nobody */
  room?: boolean;
}

export type DeviceProtocol = 'pop3' | 'imap';
export type DeviceSecurity = 'starttls' | 'implicit' | 'plain';

/** DeviceSettings is how one device's mail client reads mail (setDevice changes it). */
export interface DeviceSettings {
  name: string;
  account: string;
  protocol: DeviceProtocol;
  security: DeviceSecurity;
  /** the port it connects to (read only) */
  port: number;
  /** POP3: keep a copy on the server by default */
  leaveOnServer: boolean;
  /** POP3 leaving mail: delete what was downloaded this many days ago (0: never) */
  deleteAfterDays?: number;
}

export interface WorldSettings {
  running: boolean;
  providers: ProviderWorld[];
  devices?: DeviceSettings[];
}

/** fetchPort is the port a device connects to: 995/993 with implicit TLS, else 110/143. */
export function fetchPort(protocol: DeviceProtocol, security: DeviceSecurity): number {
  if (protocol === 'imap') return security === 'implicit' ? 993 : 143;
  return security === 'implicit' ? 995 : 110;
}

/** RecordCheck is checkRecord's answer: ok, or the problem in the language asked for. */
export interface RecordCheck {
  ok: boolean;
  key?: string;
  params?: Record<string, string>;
  message?: string;
}

/** ZoneText is a zone as the dialog's fields hold it. */
export interface ZoneText {
  mx: string;
  a: string;
  spf: string;
  dkimSelector: string;
  /** 'ed25519' (the default, also when left out) or 'rsa' */
  dkimAlgorithm: string;
  dkimKey: string;
  dmarc: string;
}

export function zoneText(z: DNSZone): ZoneText {
  return {
    mx: (z.mx ?? []).map((r) => `${r.preference} ${r.host}`).join('\n'),
    a: (z.a ?? []).map((r) => `${r.name} ${r.address}`).join('\n'),
    spf: z.spf ?? '',
    dkimSelector: z.dkim?.selector ?? '',
    dkimAlgorithm: z.dkim?.algorithm || 'ed25519',
    dkimKey: z.dkim?.key ?? '',
    dmarc: z.dmarc ?? '',
  };
}

/** lines are the non-empty lines of a field, trimmed, with their line numbers (from 1). */
export function lines(text: string): { n: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ n: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

/**
 * zoneOf turns the fields back into a zone. Lines the check refused are
 * the Go side's to refuse again: an MX line that is not "number host"
 * keeps what it can (preference NaN becomes -1, which the Go side names).
 */
export function zoneOf(t: ZoneText): DNSZone {
  const z: DNSZone = {};
  const mx = lines(t.mx).map((l) => {
    const [pref, host = ''] = l.text.split(/\s+/);
    const n = Number(pref);
    return { preference: Number.isInteger(n) ? n : -1, host };
  });
  if (mx.length) z.mx = mx;
  const a = lines(t.a).map((l) => {
    const [name, address = ''] = l.text.split(/\s+/);
    return { name, address };
  });
  if (a.length) z.a = a;
  if (t.spf.trim()) z.spf = t.spf.trim();
  if (t.dkimSelector.trim())
    z.dkim = {
      selector: t.dkimSelector.trim(),
      algorithm: t.dkimAlgorithm || 'ed25519', // always said: left out, the world would keep its own
      ...(t.dkimKey.trim() ? { key: t.dkimKey.trim() } : {}),
    };
  if (t.dmarc.trim()) z.dmarc = t.dmarc.trim();
  return z;
}

/** ZoneField is a field of the zone and the record kind checkRecord checks its lines as. */
export type ZoneField = 'mx' | 'a' | 'spf' | 'dkimKey' | 'dmarc';

export const zoneKinds: Record<ZoneField, string> = { mx: 'mx', a: 'a', spf: 'spf', dkimKey: 'dkim', dmarc: 'dmarc' };

/**
 * checksOf is what to check for one field: each record with its kind. An A
 * line is two checks, its name (host) and its address (a).
 */
export function checksOf(field: ZoneField, text: string): { n: number; kind: string; text: string }[] {
  if (field === 'mx' || field === 'a') {
    return lines(text).flatMap((l) => {
      if (field === 'mx') return [{ n: l.n, kind: 'mx', text: l.text }];
      const [name, address = ''] = l.text.split(/\s+/);
      return [
        { n: l.n, kind: 'host', text: name },
        { n: l.n, kind: 'a', text: address },
      ];
    });
  }
  const t = text.trim();
  return t ? [{ n: 0, kind: zoneKinds[field], text: t }] : [];
}
