// A tiny static web server for the web edition's tests and figures: what a
// school web server (or Python's http.server) does with build/web, nothing
// more. It sends the right MIME types (application/wasm included) and
// Last-Modified, answers If-Modified-Since with 304, compresses nothing,
// keeps a log of what was asked and how many bytes went out, and can stop,
// as a network going away does.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { once } from 'node:events';

export const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.br': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * serveStatic serves dir on 127.0.0.1 (a random port).
 * overrides maps a path to a {status, type, body} answer (missing files, error pages);
 * types replaces MIME types by extension (a server that does not know .wasm).
 * @returns {Promise<{origin: string, log: {path: string, status: number, bytes: number}[], bytes: () => number, stop: () => Promise<void>}>}
 */
export async function serveStatic(dir, { overrides = {}, types: own = {} } = {}) {
  const mime = { ...types, ...own };
  const root = resolve(dir);
  const log = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const entry = { path, status: 200, bytes: 0 };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
    const o = overrides[path];
    if (o) {
      res.writeHead(o.status ?? 200, { 'Content-Type': o.type ?? 'text/plain', 'Content-Length': Buffer.byteLength(o.body ?? '') });
      entry.bytes = Buffer.byteLength(o.body ?? '');
      res.end(o.body ?? '');
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return notFound(res);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const st = statSync(file);
      const modified = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
      const since = Date.parse(req.headers['if-modified-since'] ?? '');
      if (!Number.isNaN(since) && modified.getTime() <= since) {
        res.writeHead(304, { 'Last-Modified': modified.toUTCString() });
        return res.end();
      }
      const size = st.size;
      res.writeHead(200, {
        'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
        'Content-Length': size,
        'Last-Modified': modified.toUTCString(),
      });
      entry.bytes = size;
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      notFound(res);
    }
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    log,
    bytes: () => log.reduce((n, e) => n + e.bytes, 0),
    stop: async () => {
      server.close();
      sockets.forEach((s) => s.destroy());
      await once(server, 'close').catch(() => {});
    },
  };
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>404</title><h1>Not found</h1>');
}
