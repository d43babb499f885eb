// RunIndex keeps every structure the views cut at the cursor, and keeps it
// up to date one event at a time: connections, the lines of each
// connection with their roles, transcript rows, the messages on the wire,
// the sequence diagram's lanes. A batch of events costs O(batch), however
// long the history is; only a change of the transcript filter rebuilds.
// The services the topology draws are kept here too (ServiceIndex).

import { addToConnections, allVisible, protocolsOf, RowBuilder, type ConnInfo, type Row, type TranscriptFilter } from './connections';
import { cutMessage, MessageFinder, pickMessageAt, type FoundMessage, type MessageCut } from './message';
import type { LineRole } from './protocol';
import { addLanes } from './sequence';
import { ServiceIndex } from './services';
import type { MailEvent } from './types';

export class RunIndex {
  readonly conns = new Map<number, ConnInfo>();
  /** the line events of each connection, in order */
  readonly byConn = new Map<number, MailEvent[]>();
  /** node id → the seq it first takes part at */
  readonly laneSeen = new Map<string, number>();
  /** the protocols that occur, for the filter chips; a new array only when one is added */
  protocols: string[] = [];
  /** seq of the "scenario finished" state event, 0 while running */
  finishedSeq = 0;
  #finder = new MessageFinder();
  #roles = new Map<number, LineRole>();
  #rows: RowBuilder;
  #protoSet = new Set<string>();
  #services = new ServiceIndex();

  constructor(filter: TranscriptFilter = allVisible) {
    this.#rows = new RowBuilder(filter);
  }

  get messages(): readonly FoundMessage[] {
    return this.#finder.messages;
  }

  /**
   * messageAt is the message the panel shows for a view whose last event is
   * seq, with this line selected: pickMessage(messagesAt(messages, seq),
   * selected) in O(log messages), its lines not copied.
   */
  messageAt(seq: number, selected?: MailEvent): MessageCut | undefined {
    const m = pickMessageAt(this.#finder.messages, this.#finder.byConn, seq, selected);
    return m && cutMessage(m, seq);
  }

  /** rows is every transcript row of the history, for the current filter */
  get rows(): readonly Row[] {
    return this.#rows.rows;
  }

  get filter(): TranscriptFilter {
    return this.#rows.filter;
  }

  add(ev: MailEvent): void {
    // A connection whose client, server, protocol, port and address are
    // known keeps them (later events only fill what is empty): its service
    // cannot change, so most lines skip the service index.
    const was = ev.conn ? this.conns.get(ev.conn) : undefined;
    const settled = !!was && !!was.client && !!was.server && !!was.proto && !!was.port && !!was.addr;
    const c = addToConnections(this.conns, ev);
    if (c && !settled) this.#services.update(c);
    if (c?.proto && !this.#protoSet.has(c.proto)) {
      this.#protoSet.add(c.proto);
      this.protocols = protocolsOf(this.conns);
    }
    if (ev.kind === 'line' && ev.conn) {
      let l = this.byConn.get(ev.conn);
      if (!l) this.byConn.set(ev.conn, (l = []));
      l.push(ev);
    }
    const role = this.#finder.add(ev);
    if (role) this.#roles.set(ev.seq, role);
    addLanes(this.laneSeen, ev);
    this.#rows.add(ev, this.conns);
    if (ev.kind === 'state' && ev.code === 'state.run-finished' && !this.finishedSeq) this.finishedSeq = ev.seq;
  }

  addAll(events: Iterable<MailEvent>): void {
    for (const ev of events) this.add(ev);
  }

  /** roleOf is how a line reads in its connection: command, reply, message data, literal. */
  roleOf(seq: number): LineRole | undefined {
    return this.#roles.get(seq);
  }

  /** servicesAt is one connection per service in use at seq, as the topology draws them (see ServiceIndex.at). */
  servicesAt(seq: number): ConnInfo[] {
    return this.#services.at(seq);
  }

  /** serviceOf is the edgeKey of a connection's service. */
  serviceOf(conn: number): string | undefined {
    return this.#services.serviceOf(conn);
  }

  /** setFilter rebuilds the transcript rows for another filter (O(history), on a click). */
  setFilter(filter: TranscriptFilter, events: Iterable<MailEvent>): void {
    this.#rows = new RowBuilder(filter);
    for (const ev of events) this.#rows.add(ev, this.conns);
  }

  /** reset forgets everything but the filter. */
  reset(): void {
    this.conns.clear();
    this.#services.reset();
    this.byConn.clear();
    this.laneSeen.clear();
    this.protocols = [];
    this.#protoSet.clear();
    this.finishedSeq = 0;
    this.#finder = new MessageFinder();
    this.#roles.clear();
    this.#rows = new RowBuilder(this.#rows.filter);
  }
}
