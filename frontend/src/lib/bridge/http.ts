// HTTP transport for the browser twin (`maillab serve`): methods are
// POST /api/call/<method> with {"args": [...]}, pushed events arrive as
// Server-Sent Events from GET /api/events. Control methods need the token
// from the page URL (?token=...), kept in sessionStorage.

import type { ExportBlob, ExportRequest, MailEvent } from '../core/types';
import { exportPath, fallbackName, filenameFrom } from '../core/export';
import { EventsPushed, pushedEvents } from './events';
import { PushQueue, type Schedule } from './queue';
import { callMethods } from './methods';
import { errorText, type Bridge, type Method, type Payloads, type PushName } from './types';

export const tokenHeader = 'X-Maillab-Token';
const tokenKey = 'maillab.token';

export interface HttpDeps {
  fetch: typeof fetch;
  EventSource: typeof EventSource;
  location: Pick<Location, 'search' | 'href'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** removes ?token= from the address bar so it does not end up on a projected screen */
  replaceUrl?: (url: string) => void;
  base?: string;
  /** when queued pushes are handed on (default: once per animation frame) */
  schedule?: Schedule;
}

/** takeToken reads ?token= from the page URL (storing it) or the one stored earlier. */
export function takeToken(d: Pick<HttpDeps, 'location' | 'storage' | 'replaceUrl'>): string {
  const url = new URL(d.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    d.storage.setItem(tokenKey, fromUrl);
    url.searchParams.delete('token');
    d.replaceUrl?.(url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return d.storage.getItem(tokenKey) ?? '';
}

function browserDeps(): HttpDeps {
  return {
    fetch: window.fetch.bind(window),
    EventSource: window.EventSource,
    location: window.location,
    storage: window.sessionStorage,
    replaceUrl: (u) => window.history.replaceState(null, '', u),
  };
}

export function httpBridge(d: HttpDeps = browserDeps()): Bridge {
  const token = takeToken(d);
  const base = d.base ?? '';
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const reconnects = new Set<() => void>();
  let source: EventSource | undefined;
  const queue = new PushQueue((name, p) => listeners.get(name)?.forEach((cb) => cb(p)), d.schedule);

  async function call<T>(m: Method, ...args: unknown[]): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers[tokenHeader] = token;
    let res: Response;
    try {
      res = await d.fetch(`${base}/api/call/${m}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
    } catch (e) {
      throw new Error(`The Maillab server cannot be reached (${errorText(e)}).`);
    }
    let body: { result?: unknown; error?: string } = {};
    try {
      body = await res.json();
    } catch {
      // an empty or non-JSON body: the status says what went wrong
    }
    if (!res.ok) throw new Error(body.error || `${m}: HTTP ${res.status}`);
    return body.result as T;
  }

  // A download with the token in a header, not in a URL that ends up in
  // the history: fetch the route and hand over the blob.
  async function exportFile(req: ExportRequest): Promise<ExportBlob> {
    const headers: Record<string, string> = {};
    if (token) headers[tokenHeader] = token;
    let res: Response;
    try {
      res = await d.fetch(`${base}${exportPath(req)}`, { headers });
    } catch (e) {
      throw new Error(`The Maillab server cannot be reached (${errorText(e)}).`);
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      throw new Error(body.error || `export: HTTP ${res.status}`);
    }
    const name = filenameFrom(res.headers.get('Content-Disposition'), fallbackName(req.kind, '', new Date()));
    return { name, blob: await res.blob() };
  }

  function connect(): void {
    if (source) return;
    // The controller's stream carries the token (an EventSource sends no
    // headers): without it the server masks every password, as for viewers.
    source = new d.EventSource(token ? `${base}/api/events?token=${encodeURIComponent(token)}` : `${base}/api/events`);
    let failed = false;
    let same = new ConnFields();
    source.addEventListener('error', () => {
      failed = true;
    });
    source.addEventListener('open', () => {
      // A stream (again): the server remembers nothing of the last one.
      same = new ConnFields();
      if (failed) reconnects.forEach((cb) => cb());
      failed = false;
    });
    for (const name of pushedEvents) {
      // Parsed when the queue hands it on (in order, so the connection
      // fields are filled in from the line before), not in the network's task.
      source.addEventListener(name, (e) => {
        const data = (e as MessageEvent<string>).data;
        const fields = same;
        queue.pushLater(name, () => {
          let payload: unknown;
          try {
            payload = JSON.parse(data);
          } catch {
            return undefined;
          }
          if (name === EventsPushed && Array.isArray(payload)) fields.fill(payload as StreamLine[]);
          return payload;
        });
      });
    }
  }

  return {
    transport: 'http',
    canControl: token !== '',
    ...callMethods(call),
    export: exportFile,
    on<K extends PushName>(name: K, cb: (p: Payloads[K]) => void) {
      connect();
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const f = cb as (p: unknown) => void;
      set.add(f);
      return () => set.delete(f);
    },
    onReconnect(cb) {
      reconnects.add(cb);
      return () => reconnects.delete(cb);
    },
  };
}

/**
 * A line as the event stream sends it (app/http.go streamLine): same says
 * its connection's fields were left out, sameExplain its explanation (that
 * of the connection's line before); rawText stays on the line and says its
 * bytes are its text and CRLF (raw left out).
 */
type StreamLine = MailEvent & { same?: boolean; sameExplain?: boolean };

const connKeys = ['client', 'server', 'proto', 'port', 'addr', 'clientAddr'] as const;
type Fields = Pick<MailEvent, (typeof connKeys)[number]>;

/** maxStreamConns is the server's bound (maxStreamConns in app/http.go): past it, both forget. */
const maxStreamConns = 1024;

/** What the stream last said about a connection. */
interface Sent {
  fields: Fields;
  explain: MailEvent['explain'];
}

/**
 * ConnFields puts back what the event stream leaves out: a line marked
 * same has the client, server, protocol, port and addresses of the last
 * line of its connection that came with them; a line marked sameExplain
 * the explanation of its connection's line before. It follows the
 * server's rule exactly (remember every line, forget everything when a
 * new connection comes past the bound), so both remember the same.
 */
export class ConnFields {
  #last = new Map<number, Sent>();

  fill(lines: StreamLine[]): void {
    for (const ev of lines) {
      if (!ev.conn) continue;
      let sent = this.#last.get(ev.conn);
      if (!sent) {
        if (this.#last.size >= maxStreamConns) this.#last.clear();
        sent = { fields: {}, explain: undefined };
        this.#last.set(ev.conn, sent);
      }
      // The flags are cleared, not deleted: deleting a field turns the
      // line into a slow dictionary object in V8 (20,000 of them in a flood).
      if (ev.sameExplain) {
        ev.sameExplain = undefined;
        ev.explain = sent.explain;
      }
      sent.explain = ev.explain;
      if (ev.same) {
        ev.same = undefined;
        Object.assign(ev, sent.fields);
        continue;
      }
      const f: Fields = {};
      for (const k of connKeys) if (ev[k] !== undefined) (f as Record<string, unknown>)[k] = ev[k];
      sent.fields = f;
    }
  }
}
