// The fixed world of product.md. RunInfo carries the real node list; this
// table is the fallback for late joiners that have events but no RunInfo.

import type { NodeInfo } from './types';

export const defaultNodes: NodeInfo[] = [
  { id: 'alice-laptop', label: 'node.alice-laptop', role: 'MUA', domain: 'example.org', ip: '127.0.0.1' },
  { id: 'smtp.example.org', label: 'node.msa', role: 'MSA', domain: 'example.org', ip: '127.0.0.1' },
  { id: 'mx.example.org', label: 'node.mx', role: 'MTA', domain: 'example.org', ip: '127.0.0.1' },
  { id: 'mda.example.org', label: 'node.mda', role: 'MDA', domain: 'example.org', ip: '127.0.0.1' },
  { id: 'mail.example.org', label: 'node.mail', role: 'POP3/IMAP', domain: 'example.org', ip: '127.0.0.1' },
  { id: 'dns', label: 'node.dns', role: 'DNS', ip: '127.0.0.1' },
  { id: 'smtp.example.net', label: 'node.msa', role: 'MSA', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'mx.example.net', label: 'node.mx', role: 'MTA', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'mda.example.net', label: 'node.mda', role: 'MDA', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'mail.example.net', label: 'node.mail', role: 'POP3/IMAP', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'bob-laptop', label: 'node.bob-laptop', role: 'MUA', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'bob-phone', label: 'node.bob-phone', role: 'MUA', domain: 'example.net', ip: '127.0.0.1' },
  { id: 'external', label: 'node.external', role: 'external', ip: '127.0.0.1' },
];

/** thirdProvider is example.com's nodes (Erin's provider), in a world that has it: after example.net's in the lanes. */
export const thirdProvider: readonly string[] = ['smtp.example.com', 'mx.example.com', 'mda.example.com', 'mail.example.com', 'erin-laptop'];

/** coreNodes are the nodes every run shows (others only once they take part). */
export const coreNodes: ReadonlySet<string> = new Set(defaultNodes.map((n) => n.id));

/** laneOrder is the left-to-right order of nodes in the sequence diagram. */
export const laneOrder: string[] = defaultNodes
  .map((n) => n.id)
  .flatMap((id) =>
    id === 'bob-phone' ? [id, 'carol-laptop', 'dave-laptop', ...thirdProvider] : id === 'external' ? ['impostor', id] : [id],
  );

/** isDevice tells the people's machines from the servers. */
export function isDevice(n: NodeInfo): boolean {
  return n.role === 'MUA' || n.role === 'external';
}

/** protoName is the name a textbook uses for a service. */
export function protoName(proto: string | undefined): string {
  switch (proto) {
    case 'smtp':
    case 'submission':
      return 'SMTP';
    case 'lmtp':
      return 'LMTP';
    case 'pop3':
      return 'POP3';
    case 'imap':
      return 'IMAP';
    case 'dns':
      return 'DNS';
    default:
      return (proto ?? '').toUpperCase();
  }
}

/** shortHost splits a host name for narrow lane headers: "smtp" and "example.org". */
export function shortHost(id: string): [string, string] {
  const dot = id.indexOf('.');
  return dot < 0 ? [id, ''] : [id.slice(0, dot), id.slice(dot + 1)];
}
