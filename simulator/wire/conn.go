package wire

import (
	"context"
	"net"
	"sync"

	"maillab/simulator/event"
)

// Conn is the server side of one tapped TCP connection.
type Conn struct {
	*TimedConn
	sink   Sink
	rec    Recorder    // nil when the sink keeps no bytes
	base   event.Event // connection fields copied into every event
	ctx    context.Context
	cancel context.CancelFunc

	rmu  sync.Mutex // serialises Read
	in   *stream
	rbuf []byte
	rerr error
	tmp  []byte

	wmu sync.Mutex // serialises Write
	out *stream

	cmu   sync.Mutex
	creds CredentialTracker
	body  bodyTracker

	// What the recorder has not been handed yet, per direction: under rmu
	// for the client's bytes, under wmu for the server's.
	notesIn, notesOut chunkNotes

	closeOnce sync.Once
}

func newConn(c net.Conn, svc Service, sink Sink, client string, secrets Secrets) *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	session := &tlsSession{}
	tc := &Conn{
		TimedConn: NewTimedConn(c, sink.HeldClock),
		sink:      sink, ctx: ctx, cancel: cancel,
		in:  newStream(session, secrets, true),
		out: newStream(session, secrets, false),
		base: event.Event{Conn: sink.NextConnID(), Client: client, Server: svc.Node, Proto: svc.Proto,
			Port: svc.Port, Addr: c.LocalAddr().String(), ClientAddr: c.RemoteAddr().String()},
		body: newBodyTracker(svc.Proto, svc.BodyRecord),
	}
	tc.rec, _ = sink.(Recorder)
	open := tc.base
	open.Kind = event.KindOpen
	sink.Emit(&open)
	return tc
}

// ID returns the connection id used in the events.
func (c *Conn) ID() uint64 { return c.base.Conn }

// Read buffer sizes: a connection that only exchanges commands keeps a
// small buffer; one that fills it (a message body, TLS records of up to
// 16 KiB) gets a bigger one.
const (
	minReadBuffer = 4 << 10
	maxReadBuffer = 32 << 10
)

// Read delivers the client's bytes once each line in them was released.
func (c *Conn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for len(c.rbuf) == 0 {
		if c.rerr != nil {
			return 0, c.rerr
		}
		if c.tmp == nil {
			c.tmp = make([]byte, minReadBuffer)
		}
		n, err := c.TimedConn.Read(c.tmp)
		// The segments pass delivers are p's bytes in order, so what was
		// delivered is a prefix of c.tmp: no copy. c.tmp is read into
		// again only once rbuf is empty.
		delivered := 0
		if gerr := c.pass(c.in, event.ClientToServer, &c.notesIn, c.tmp[:n], func(b []byte) error {
			delivered += len(b)
			return nil
		}); gerr != nil {
			c.Close()
			return 0, gerr
		}
		if err != nil {
			c.flushNotes(&c.notesIn, event.ClientToServer, false) // an unfinished last line
		}
		c.rbuf, c.rerr = c.tmp[:delivered], err
		if n == len(c.tmp) && n < maxReadBuffer {
			c.tmp = make([]byte, 2*n) // rbuf keeps the old one until read
		}
	}
	n := copy(p, c.rbuf)
	c.rbuf = c.rbuf[n:]
	return n, nil
}

// Write sends the server's bytes, each line once it was released. While
// the conductor holds nothing (instant mode), the lines of one Write leave
// in one write, as the server wrote them; otherwise each line leaves as it
// is released, so a held reply shows up line by line.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if passing, ok := c.sink.(PassingSink); ok && passing.Passing() {
		sent := 0
		err := c.pass(c.out, event.ServerToClient, &c.notesOut, p, func(b []byte) error {
			sent += len(b) // a prefix of p: pass delivers p's bytes in order
			return nil
		})
		if sent > 0 {
			if _, werr := c.TimedConn.Write(p[:sent]); err == nil {
				err = werr
			}
		}
		if err != nil {
			return 0, err
		}
		return len(p), nil
	}
	err := c.pass(c.out, event.ServerToClient, &c.notesOut, p, func(b []byte) error {
		_, err := c.TimedConn.Write(b)
		return err
	})
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// pass splits p into segments and hands each one on after its frame was
// logged (and, for lines, released). The client's bytes are recorded once
// handed to the server, the server's just before they are written; bytes
// without a frame (a record header) go with the next frame's, as one chunk.
func (c *Conn) pass(s *stream, dir event.Dir, notes *chunkNotes, p []byte, deliver func([]byte) error) error {
	if len(p) == 0 {
		return nil
	}
	for _, seg := range s.feed(p) {
		credential, skip := false, false
		if seg.f != nil {
			var err error
			if credential, skip, err = c.record(dir, seg.f); err != nil {
				return err
			}
		}
		if len(seg.bytes) == 0 {
			continue
		}
		// The server's bytes are noted just before they leave: once
		// written, the client may answer, and its answer must not be
		// recorded ahead of what it answers.
		if dir == event.ServerToClient {
			c.note(notes, dir, seg, credential, skip)
		}
		if err := deliver(seg.bytes); err != nil {
			return err
		}
		if dir == event.ClientToServer {
			c.note(notes, dir, seg, credential, skip)
		}
	}
	// Bytes of an unfinished line or TLS record wait for it: whether
	// they are kept depends on its frame (a skipped body line is not).
	if !s.partial() {
		c.flushNotes(notes, dir, false)
	}
	return nil
}

// record logs a frame; it reports whether the frame is a plaintext line
// carrying a credential (an encrypted one hides its password already), and
// whether it was skipped: a body line past the recording limit, not logged.
func (c *Conn) record(dir event.Dir, f *frame) (credential, skip bool, err error) {
	// The sink copies what it keeps: the event itself comes from a pool,
	// as a new one for every line was a seventh of the mail path's
	// allocations.
	ev := eventPool.Get().(*event.Event)
	defer func() { *ev = event.Event{}; eventPool.Put(ev) }()
	*ev = c.base
	ev.Dir, ev.Text, ev.Raw, ev.Encrypted, ev.Truncated = dir, f.text, f.raw, f.encrypted, f.truncated
	ev.Tail, ev.Omitted = f.tail, f.omitted
	// One TLS record's lines share its bytes (the stream hands each record
	// over as a slice of its own): they are not changed later.
	ev.Wire = f.wire
	if !f.line {
		ev.Kind = event.KindTLS
		c.sink.Emit(ev)
		return false, false, nil
	}
	ev.Kind = event.KindLine // f.raw is the frame's own copy: the event keeps it
	c.cmu.Lock()
	if dir == event.ClientToServer {
		ev.Credential = c.creds.Client(c.base.Proto, ev.Text)
	} else {
		c.creds.Server(c.base.Proto, ev.Text)
	}
	skip, rep := c.body.line(dir, ev.Text, int64(len(f.raw))+f.omitted, ev.Credential)
	c.cmu.Unlock()
	if skip {
		return false, true, nil
	}
	if rep.lines > 0 {
		sk := c.skipEvent(dir, rep)
		if err := c.sink.Gate(c.ctx, &sk); err != nil {
			return false, false, err
		}
	}
	return ev.Credential && !f.encrypted, false, c.sink.Gate(c.ctx, ev)
}

var eventPool = sync.Pool{New: func() any { return new(event.Event) }}

// Close closes the socket, wakes a held line and logs the end once.
func (c *Conn) Close() error {
	err := c.TimedConn.Close()
	c.closeOnce.Do(func() {
		c.cancel()
		c.cmu.Lock()
		left := c.body.flush()
		c.cmu.Unlock()
		for i, dir := range []event.Dir{event.ClientToServer, event.ServerToClient} {
			if left[i].lines > 0 {
				sk := c.skipEvent(dir, left[i])
				c.sink.Emit(&sk)
			}
		}
		ev := c.base
		ev.Kind = event.KindClose
		c.sink.Emit(&ev)
	})
	return err
}
