// Where the machine's CPU went while the browser tests ran something:
// per thread of Chromium and of maillab, the time it ran and the time it
// was ready to run but waited for a CPU (Linux /proc/<pid>/task/<tid>/
// schedstat). On a small machine the page's frames are late more because
// its main thread waits than because it works; this says which.

import { readdirSync, readFileSync } from 'node:fs';

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** threadTimes snapshots run and wait time (ms) of every thread of Chromium's and maillab's processes ({} where /proc has none). */
export function threadTimes() {
  const out = new Map();
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    const comm = read(`/proc/${pid}/comm`).trim();
    if (!/^(chrom|maillab)/.test(comm)) continue;
    const kind = comm.startsWith('maillab') ? 'maillab' : (read(`/proc/${pid}/cmdline`).match(/--type=([a-z-]+)/)?.[1] ?? 'browser');
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const [run, wait] = read(`/proc/${pid}/task/${tid}/schedstat`).trim().split(' ').map(Number);
      if (!Number.isFinite(run)) continue;
      const name = read(`/proc/${pid}/task/${tid}/comm`).trim().replace(/\d+$/, '');
      out.set(`${pid}/${tid}`, { kind, pid, main: pid === tid, name, run: run / 1e6, wait: wait / 1e6 });
    }
  }
  return out;
}

/**
 * cpuSplit compares two snapshots: the page's main thread (the renderer
 * main thread that ran most) and the other groups of threads, each with
 * the time it ran and waited for a CPU.
 */
export function cpuSplit(before, after) {
  const groups = new Map();
  let page;
  for (const [k, t] of after) {
    const b = before.get(k) ?? { run: 0, wait: 0 };
    const d = { run: t.run - b.run, wait: t.wait - b.wait };
    if (d.run <= 0) continue;
    if (t.kind === 'renderer' && t.main && (!page || d.run > page.run)) page = { ...d, pid: t.pid };
    const g = t.kind === 'renderer' && t.main ? 'renderer main' : `${t.kind} ${t.name}`;
    const e = groups.get(`${t.pid} ${g}`) ?? { name: g, pid: t.pid, run: 0, wait: 0 };
    e.run += d.run;
    e.wait += d.wait;
    groups.set(`${t.pid} ${g}`, e);
  }
  if (page) groups.delete(`${page.pid} renderer main`);
  const others = [...groups.values()].sort((a, b) => b.run - a.run);
  return { page, others };
}
