// The services a run's clients used (a client, a server, a protocol and a
// port: one edge of the topology each), kept up to date one connection at a
// time. The topology asks for them at the cursor; that costs O(services),
// however many connections the run has had (a day of the live world opens
// thousands).

import { connectionAt, type ConnInfo } from './connections';
import { edgeKey } from './topology';

interface Service {
  key: string;
  /** its connections, in the order they opened */
  conns: ConnInfo[];
  /** newest[i]: the index in conns of the highest connection id among conns[0..i] */
  newest: number[];
  /** lastAddr[i]: the index of the last connection among conns[0..i] with an address, -1 for none */
  lastAddr: number[];
}

/** ServiceIndex groups connections by service (edgeKey), in the order edgesOf meets them. */
export class ServiceIndex {
  #byKey = new Map<string, Service>();
  /** connection id → its service's key and address when last seen */
  #seen = new Map<number, { key: string; addr: string }>();

  /**
   * update takes a connection that is new, or whose client, server,
   * protocol, port or address may have changed (they can come with a later
   * event than the first). O(1) for a new connection; a changed one (rare)
   * rebuilds its services' lists.
   */
  update(c: ConnInfo): void {
    const key = edgeKey(c);
    const was = this.#seen.get(c.conn);
    if (was && was.key === key && was.addr === c.addr) return;
    this.#seen.set(c.conn, { key, addr: c.addr });
    if (!was) {
      const s = this.#service(key);
      const last = s.conns.length - 1;
      if (last < 0 || s.conns[last].openSeq < c.openSeq) {
        s.conns.push(c);
        s.newest.push(last >= 0 && s.conns[s.newest[last]].conn > c.conn ? s.newest[last] : last + 1);
        s.lastAddr.push(c.addr ? last + 1 : last >= 0 ? s.lastAddr[last] : -1);
        return;
      }
      s.conns.push(c);
      this.#rebuild(s);
      return;
    }
    const old = this.#byKey.get(was.key)!;
    if (was.key !== key) {
      old.conns = old.conns.filter((x) => x.conn !== c.conn);
      if (old.conns.length) this.#rebuild(old);
      else this.#byKey.delete(was.key);
      const s = this.#service(key);
      s.conns.push(c);
      this.#rebuild(s);
    } else this.#rebuild(old);
  }

  #service(key: string): Service {
    let s = this.#byKey.get(key);
    if (!s) this.#byKey.set(key, (s = { key, conns: [], newest: [], lastAddr: [] }));
    return s;
  }

  #rebuild(s: Service): void {
    s.conns.sort((a, b) => a.openSeq - b.openSeq);
    s.newest = [];
    s.lastAddr = [];
    s.conns.forEach((c, i) => {
      s.newest.push(i > 0 && s.conns[s.newest[i - 1]].conn > c.conn ? s.newest[i - 1] : i);
      s.lastAddr.push(c.addr ? i : i > 0 ? s.lastAddr[i - 1] : -1);
    });
  }

  /**
   * at gives, for each service in use when seq was the last event, one
   * connection that stands for it as edgesOf(connectionsAt(conns, seq))
   * merges them: the newest connection (its encryption), with the last
   * address any of them had. In the order edgesOf meets the services.
   */
  at(seq: number): ConnInfo[] {
    const out: { first: number; c: ConnInfo }[] = [];
    for (const s of this.#byKey.values()) {
      if (s.conns[0].openSeq > seq) continue;
      let lo = 1;
      let hi = s.conns.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s.conns[mid].openSeq <= seq) lo = mid + 1;
        else hi = mid;
      }
      const newest = connectionAt(s.conns[s.newest[lo - 1]], seq)!;
      const a = s.lastAddr[lo - 1];
      const addr = a >= 0 ? s.conns[a].addr : s.conns[0].addr;
      out.push({ first: s.conns[0].openSeq, c: addr === newest.addr ? newest : { ...newest, addr } });
    }
    return out.sort((x, y) => x.first - y.first).map((x) => x.c);
  }

  /** serviceOf is the key of the service a connection belongs to. */
  serviceOf(conn: number): string | undefined {
    return this.#seen.get(conn)?.key;
  }

  reset(): void {
    this.#byKey.clear();
    this.#seen.clear();
  }
}
