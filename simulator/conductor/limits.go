package conductor

import "maillab/simulator/event"

// What a run keeps is bounded, however long it goes on: the tap already
// cuts over-long lines and message bodies (simulator/wire); here the whole
// log and every connection's recorded bytes have a budget. Past it the
// oldest detail goes first, and what went is counted so the UI and the
// exports can say so.

// Default budgets. A lesson's run uses a few hundred kB; a classroom day
// on the live world keeps its newest hours.
const (
	DefaultRunBytes  = 64 << 20
	DefaultConnBytes = 8 << 20
)

// Per-item sizes beyond their byte fields, as estimated for the budget
// (the struct, its strings' and slices' headers, the slice slot).
const (
	eventOverhead = 320
	chunkOverhead = 96
)

// Limits bound what a run keeps.
type Limits struct {
	// RunBytes bounds the logged events and recorded chunks together (an
	// estimate of their memory). Past it the oldest events and chunks are
	// dropped until a quarter of it is free again. 0: DefaultRunBytes.
	RunBytes int64
	// ConnBytes bounds one connection's recorded chunk bytes. Past it the
	// connection's oldest chunks lose their bytes (counted in
	// Chunk.Omitted); its events stay. 0: DefaultConnBytes.
	ConnBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.RunBytes <= 0 {
		l.RunBytes = DefaultRunBytes
	}
	if l.ConnBytes <= 0 {
		l.ConnBytes = DefaultConnBytes
	}
	return l
}

// Dropped says what a run no longer keeps.
type Dropped struct {
	// Events is how many of the oldest events were dropped: the log now
	// starts at Seq Events+1.
	Events uint64 `json:"events"`
	// Chunks and Bytes count the recorded chunks dropped with them and the
	// chunk bytes dropped for a connection's budget.
	Chunks uint64 `json:"chunks"`
	Bytes  int64  `json:"bytes"`
}

// SetLimits changes the budgets; what is kept already shrinks at the next
// event or chunk.
func (c *Conductor) SetLimits(l Limits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limits = l.withDefaults()
}

// Dropped returns what the run no longer keeps.
func (c *Conductor) Dropped() Dropped {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// DroppedEvents is Dropped().Events without the conductor's lock, so a
// subscriber (which runs under it) may ask.
func (c *Conductor) DroppedEvents() uint64 { return c.droppedEvents.Load() }

// Size is the estimated memory of what the run keeps, in bytes.
func (c *Conductor) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Page returns up to limit logged events after seq since (all of them when
// limit <= 0), the seq of the oldest event still kept (0 when none is) and
// the seq of the last one logged. Events older than first were dropped.
func (c *Conductor) Page(since uint64, limit int) (events []event.Event, first, last uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.log.len() > 0 {
		first = c.log.at(0).ev.Seq
	}
	i := 0
	if since >= c.dropped.Events {
		i = int(min(since-c.dropped.Events, uint64(c.log.len())))
	}
	end := c.log.len()
	if limit > 0 && end-i > limit {
		end = i + limit
	}
	return c.log.events(i, end), first, c.seq
}

// Event returns the logged event seq, if it is still kept.
func (c *Conductor) Event(seq uint64) (event.Event, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if seq <= c.dropped.Events || seq > c.seq {
		return event.Event{}, false
	}
	return c.log.at(int(seq - c.dropped.Events - 1)).ev, true
}

func eventSize(ev *event.Event, lastWire *byte) int64 {
	n := int64(eventOverhead + len(ev.Text) + len(ev.Raw) + len(ev.Tail) + len(ev.Client) + len(ev.Server) +
		len(ev.Addr) + len(ev.ClientAddr) + len(ev.Actor) + len(ev.Code))
	if len(ev.Wire) > 0 && &ev.Wire[0] != lastWire {
		n += int64(len(ev.Wire)) // one TLS record's lines share it: counted once
	}
	for k, v := range ev.Params {
		n += int64(len(k) + len(v) + 32)
	}
	return n
}

// noteEventLocked logs an event and keeps the run in its budget.
func (c *Conductor) noteEventLocked(ev *event.Event) {
	n := eventSize(ev, c.lastWire)
	c.size += n
	c.log.push(ev, int32(min(n, 1<<30)))
	if len(ev.Wire) > 0 {
		c.lastWire = &ev.Wire[0]
	}
	c.trimLocked()
}

// recordLocked keeps a chunk: a chunk without bytes that follows another
// of its connection and direction adds to its count instead.
func (c *Conductor) recordLocked(ch event.Chunk) {
	if len(ch.Bytes) == 0 {
		if n := c.chunks.len(); n > 0 {
			if last := c.chunks.at(n - 1); len(last.Bytes) == 0 && last.Conn == ch.Conn && last.Dir == ch.Dir {
				last.Omitted += ch.Omitted
				return
			}
		}
	}
	c.chunks.push(ch)
	n := int64(len(ch.Bytes))
	c.size += chunkOverhead + n
	if c.connBytes == nil {
		c.connBytes = map[uint64]int64{}
		c.connFrom = map[uint64]int{}
	}
	if c.connBytes[ch.Conn] == 0 {
		c.connFrom[ch.Conn] = c.chunkBase + c.chunks.len() - 1
	}
	c.connBytes[ch.Conn] += n
	if c.connBytes[ch.Conn] > c.limits.ConnBytes {
		c.trimConnLocked(ch.Conn)
	}
	c.trimLocked()
}

// trimConnLocked drops the bytes of a connection's oldest chunks until a
// quarter of its budget is free; they become gaps a capture shows.
func (c *Conductor) trimConnLocked(conn uint64) {
	goal := c.limits.ConnBytes * 3 / 4
	i := max(c.connFrom[conn]-c.chunkBase, 0)
	for ; i < c.chunks.len() && c.connBytes[conn] > goal; i++ {
		ch := c.chunks.at(i)
		if ch.Conn != conn || len(ch.Bytes) == 0 {
			continue
		}
		n := int64(len(ch.Bytes))
		ch.Omitted += n
		ch.Bytes = nil
		c.connBytes[conn] -= n
		c.size -= n
		c.dropped.Bytes += n
	}
	c.connFrom[conn] = c.chunkBase + i
}

// trimLocked drops the oldest events and chunks until a quarter of the
// run's budget is free. A run that fits loses nothing.
func (c *Conductor) trimLocked() {
	if c.size <= c.limits.RunBytes {
		return
	}
	goal := c.limits.RunBytes * 3 / 4
	n := 0
	for n < c.log.len()-1 && c.size > goal {
		e := c.log.at(n)
		c.size -= int64(e.size)
		seq := e.ev.Seq
		n++
		// The chunks recorded before the next kept event go with it.
		for c.chunks.len() > 0 && c.chunks.at(0).Seq < seq {
			c.dropChunkLocked()
		}
	}
	if n == 0 {
		// Only chunks are left to drop (one long connection, no events).
		for c.chunks.len() > 1 && c.size > goal {
			c.dropChunkLocked()
		}
		return
	}
	c.dropped.Events += uint64(n)
	c.droppedEvents.Store(c.dropped.Events)
	c.log.dropFront(n)
}

func (c *Conductor) dropChunkLocked() {
	ch := c.chunks.at(0)
	n := int64(len(ch.Bytes))
	c.size -= chunkOverhead + n
	c.connBytes[ch.Conn] -= n
	if c.connBytes[ch.Conn] <= 0 {
		delete(c.connBytes, ch.Conn)
		delete(c.connFrom, ch.Conn)
	}
	c.dropped.Chunks++
	c.chunks.dropFront(1)
	c.chunkBase++
}
