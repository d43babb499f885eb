// A stand-in for `maillab serve` while the Go side is not there: it serves
// dist/ and speaks the bridge's HTTP contract, replaying the unit-test
// fixture. Only for frontend development and screenshots.
//
//   npm run build && npm run mock            # http://127.0.0.1:8765/?token=mock
//   MOCK_PORT=9000 node scripts/mock-server.mjs

import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const catalogs = join(root, '..', 'lessons', 'i18n', 'catalog');
const sample = JSON.parse(readFileSync(join(root, 'src/lib/core/fixtures/sample-events.json'), 'utf8'));
// MOCK_REPEAT=80 replays the sample 80 times (about 10,000 lines) to try the virtual lists.
const repeat = Number(process.env.MOCK_REPEAT ?? 1);
const script = Array.from({ length: repeat }, (_, r) =>
  sample.map((e) => ({ ...e, seq: e.seq + r * sample.length, conn: e.conn ? e.conn + r * 10 : undefined })),
).flat();
const port = Number(process.env.MOCK_PORT ?? 8765);
const token = 'mock';

const nodes = [
  ['alice-laptop', 'node.alice-laptop', 'MUA', 'example.org', '127.77.1.10'],
  ['smtp.example.org', 'node.msa', 'MSA', 'example.org', '127.77.1.20'],
  ['mx.example.org', 'node.mx', 'MTA', 'example.org', '127.77.1.25'],
  ['mda.example.org', 'node.mda', 'MDA', 'example.org', '127.77.1.24'],
  ['mail.example.org', 'node.mail', 'POP3/IMAP', 'example.org', '127.77.1.30'],
  ['dns', 'node.dns', 'DNS', '', '127.77.0.53'],
  ['smtp.example.net', 'node.msa', 'MSA', 'example.net', '127.77.2.20'],
  ['mx.example.net', 'node.mx', 'MTA', 'example.net', '127.77.2.25'],
  ['mda.example.net', 'node.mda', 'MDA', 'example.net', '127.77.2.24'],
  ['mail.example.net', 'node.mail', 'POP3/IMAP', 'example.net', '127.77.2.30'],
  ['bob-laptop', 'node.bob-laptop', 'MUA', 'example.net', '127.77.2.10'],
  ['bob-phone', 'node.bob-phone', 'MUA', 'example.net', '127.77.2.11'],
  ['external', 'node.external', 'external', '', '127.0.0.1'],
].map(([id, label, role, domain, ip]) => ({ id, label, role, domain, ip }));

const stepped = (e) => e.kind === 'line' || e.kind === 'packet' || e.kind === 'action';
let run = 0;
let released = [];
let pending = [];
let mode = 'step';
let interval = 1000;
let timer;
const clients = new Set();

function info() {
  return { runId: `mock-${run}`, scenario: 'send-pop3', nodes, ports: [], mode, interval };
}

function snapshot() {
  const texts = released.map((e) => e.text);
  const queued = texts.includes('250 2.0.0 OK: queued');
  const relayed = released.some((e) => e.conn === 3 && e.text === '250 2.0.0 OK: queued');
  const fetched = texts.includes('+OK message 1 deleted');
  const msg = { uid: 1, flags: [], size: 1240, internalDate: '2025-03-01T10:00:02Z', from: 'alice@example.org', subject: '<img src=x onerror=alert(1)>' };
  return {
    queue: queued
      ? [
          {
            id: 'q1',
            provider: 'example.org',
            domain: 'example.net',
            from: 'alice@example.org',
            to: [{ addr: 'bob@example.net', state: relayed ? 'sent' : 'queued' }, { addr: 'nobody@example.net', state: relayed ? 'bounced' : 'queued', reply: relayed ? '550 5.1.1 <nobody@example.net>: no such user' : undefined }],
            toAddresses: ['bob@example.net', 'nobody@example.net'],
            state: relayed ? 'sent' : 'queued',
            attempts: relayed ? 1 : 0,
          },
        ]
      : [],
    mailboxes: [
      { domain: 'example.org', users: [{ address: 'alice@example.org', mailboxes: [{ name: 'INBOX', uidValidity: 1, uidNext: 1, count: 0, unseen: 0, messages: [] }] }] },
      { domain: 'example.net', users: [{ address: 'bob@example.net', mailboxes: [{ name: 'INBOX', uidValidity: 1, uidNext: relayed ? 2 : 1, count: relayed && !fetched ? 1 : 0, unseen: relayed && !fetched ? 1 : 0, messages: relayed && !fetched ? [msg] : [] }] }] },
    ],
    devices: [
      { node: 'bob-laptop', messages: fetched ? [{ key: 'k1', subject: msg.subject, from: msg.from, size: 1240, seen: false, via: 'pop3', onServer: false }] : [] },
      { node: 'bob-phone', messages: [] },
    ],
  };
}

function push(name, data) {
  const frame = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  for (const res of clients) res.write(frame);
}

function step() {
  const out = [];
  while (pending.length) {
    if (stepped(pending[0]) && out.some(stepped)) break;
    out.push(pending.shift());
  }
  if (!out.length) return false;
  released.push(...out);
  push('maillab:events', out);
  push('maillab:snapshot', snapshot());
  return true;
}

function start() {
  clearInterval(timer);
  run++;
  mode = 'step';
  released = [];
  pending = structuredClone(script);
  push('maillab:run', info());
  push('maillab:snapshot', snapshot());
  return info();
}

const methods = {
  scenarios: () => [{ id: 'send-pop3', title: 'Send a mail, fetch it with POP3 (mock)', summary: 'The unit-test fixture, replayed.' }],
  start: () => start(),
  reset: () => start(),
  step: () => step(),
  play: (ms) => {
    clearInterval(timer);
    mode = 'play';
    interval = ms;
    timer = setInterval(() => step() || clearInterval(timer), ms);
  },
  pause: () => {
    clearInterval(timer);
    mode = 'step';
  },
  events: (since) => released.filter((e) => e.seq > since),
  snapshot: () => snapshot(),
  catalog: (lang) => JSON.parse(readFileSync(join(catalogs, `${/^(en|de|pl)$/.test(lang) ? lang : 'en'}.json`), 'utf8')),
  ready: () => null,
};
const control = new Set(['start', 'reset', 'step', 'play', 'pause']);

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/events') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(`event: maillab:run\ndata: ${JSON.stringify(info())}\n\n`);
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return;
  }
  const call = /^\/api\/call\/(\w+)$/.exec(url.pathname);
  if (call && req.method === 'POST') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status, obj) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const m = methods[call[1]];
      if (!m) return send(404, { error: `no method ${call[1]}` });
      if (control.has(call[1]) && req.headers['x-maillab-token'] !== token) return send(403, { error: 'This needs the control token.' });
      try {
        send(200, { result: m(...(JSON.parse(body || '{}').args ?? [])) ?? null });
      } catch (e) {
        send(500, { error: String(e) });
      }
    });
    return;
  }
  const file = normalize(join(dist, url.pathname === '/' ? 'index.html' : url.pathname));
  if (!file.startsWith(dist) || !existsSync(file)) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}).listen(port, '127.0.0.1', () => {
  start();
  console.log(`mock maillab: http://127.0.0.1:${port}/?token=${token}`);
});
