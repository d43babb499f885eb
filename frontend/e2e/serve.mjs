// Starts the real `maillab serve` for the end-to-end tests: a random port
// base per run (so parallel files and a developer's own world do not
// collide), the control and viewer addresses read from what it prints.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';

const live = new Set();
// If a test file dies without its after() hook, take the servers with it.
process.on('exit', () => live.forEach((c) => c.kill('SIGKILL')));

/**
 * startServe runs `$MAILLAB_BIN serve` and resolves once it listens.
 * @returns {Promise<{controlUrl: string, viewerUrl: string, origin: string, base: number,
 *   mxNetPort: number, pid: number, output: () => string, rssKiB: () => number, stop: () => Promise<number|null>}>}
 */
export async function startServe({ bin = process.env.MAILLAB_BIN, attempts = 8 } = {}) {
  if (!bin) throw new Error('MAILLAB_BIN is not set: run `make build` and point it at build/maillab');
  let last;
  for (let i = 0; i < attempts; i++) {
    // Bases in [31000, 39000) in steps of 100: every port of both providers stays below 50000.
    const base = 31000 + 100 * Math.floor(Math.random() * 80);
    try {
      return await tryStart(bin, base);
    } catch (e) {
      last = e; // most likely a port of the world was taken: another base
    }
  }
  throw last;
}

function tryStart(bin, base) {
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--port-base', String(base), '--lang', 'en'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const exited = once(child, 'exit').then(([code, sig]) => {
    live.delete(child);
    return code ?? sig;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`maillab serve printed no addresses within 20 s:\n${out}`)), 20_000);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const read = (chunk) => {
      out += chunk;
      const control = /(http:\/\/\S+\/)\?token=([0-9a-f]+)/.exec(out);
      const viewer = /^.*?(http:\/\/\S+\/)\s*$/m.exec(out.replace(/^.*\?token=.*$/m, ''));
      if (!control || !viewer) return;
      clearTimeout(timer);
      resolve({
        controlUrl: control[1] + '?token=' + control[2],
        viewerUrl: viewer[1],
        origin: control[1].replace(/\/$/, ''),
        token: control[2],
        base,
        // mx.example.net: well-known port 25 + base + 10000
        mxNetPort: base + 10000 + 25,
        pid: child.pid,
        output: () => out,
        rssKiB: () => rssKiB(child.pid),
        stop: () => stop(child, exited),
        // An app method as the page calls it, with the control token unless token is '' (a viewer).
        call: (method, args = [], token = control[2]) => callMethod(control[1].replace(/\/$/, ''), method, args, token),
        // The same, for a call that must succeed: its result.
        result: async (method, args = [], token = control[2]) => {
          const { status, body } = await callMethod(control[1].replace(/\/$/, ''), method, args, token);
          assert.equal(status, 200, `${method}: ${JSON.stringify(body)}`);
          return body.result;
        },
      });
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', (c) => (out += c));
    exited.then((code) => fail(new Error(`maillab serve exited (${code}) at port base ${base}:\n${out}`)));
  });
}

async function stop(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** callMethod posts an app method to `maillab serve` (POST /api/call/<method>): its status and body. */
async function callMethod(origin, method, args, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers['X-Maillab-Token'] = token;
  const res = await fetch(`${origin}/api/call/${method}`, { method: 'POST', headers, body: JSON.stringify({ args }) });
  return { status: res.status, body: await res.json() };
}

/** rssKiB is the resident memory of a process (VmRSS in /proc/<pid>/status), in KiB. */
export function rssKiB(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
