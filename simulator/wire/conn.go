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

	cmu      sync.Mutex
	creds    CredentialTracker
	lastWire [2]wireCopy // [0] client to server under rmu, [1] server to client under wmu

	closeOnce sync.Once
}

// wireCopy is the last TLS record an event of one direction copied.
type wireCopy struct {
	src, copy []byte
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
		if gerr := c.pass(c.in, event.ClientToServer, c.tmp[:n], func(b []byte) error {
			delivered += len(b)
			return nil
		}); gerr != nil {
			c.Close()
			return 0, gerr
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
		err := c.pass(c.out, event.ServerToClient, p, func(b []byte) error {
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
	err := c.pass(c.out, event.ServerToClient, p, func(b []byte) error {
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
func (c *Conn) pass(s *stream, dir event.Dir, p []byte, deliver func([]byte) error) error {
	if len(p) == 0 {
		return nil
	}
	var held []byte
	for _, seg := range s.feed(p) {
		credential := false
		if seg.f != nil {
			var err error
			if credential, err = c.record(dir, seg.f); err != nil {
				return err
			}
		}
		if len(seg.bytes) == 0 {
			continue
		}
		note := func() {
			if c.rec == nil {
				return
			}
			held = append(held, seg.bytes...)
			if seg.f != nil {
				c.recordChunk(dir, held, credential)
				held = nil
			}
		}
		// The server's bytes are noted just before they leave: once
		// written, the client may answer, and its answer must not be
		// recorded ahead of what it answers.
		if dir == event.ServerToClient {
			note()
		}
		if err := deliver(seg.bytes); err != nil {
			return err
		}
		if dir == event.ClientToServer {
			note()
		}
	}
	if len(held) > 0 {
		c.recordChunk(dir, held, false)
	}
	return nil
}

// record logs a frame; it reports whether the frame is a plaintext line
// carrying a credential (an encrypted one hides its password already).
func (c *Conn) record(dir event.Dir, f *frame) (bool, error) {
	ev := c.base
	ev.Dir, ev.Text, ev.Raw, ev.Encrypted, ev.Truncated = dir, f.text, f.raw, f.encrypted, f.truncated
	if f.wire != nil {
		ev.Wire = c.wireCopy(dir, f.wire)
	}
	if !f.line {
		ev.Kind = event.KindTLS
		c.sink.Emit(&ev)
		return false, nil
	}
	ev.Kind = event.KindLine // f.raw is the frame's own copy: the event keeps it
	c.cmu.Lock()
	if dir == event.ClientToServer {
		ev.Credential = c.creds.Client(c.base.Proto, ev.Text)
	} else {
		c.creds.Server(c.base.Proto, ev.Text)
	}
	c.cmu.Unlock()
	return ev.Credential && !f.encrypted, c.sink.Gate(c.ctx, &ev)
}

// wireCopy returns a copy of a TLS record for an event. The lines of one
// record (a message body arrives as a few lines per record) share one copy;
// events are never changed once made.
func (c *Conn) wireCopy(dir event.Dir, record []byte) []byte {
	i := 0
	if dir == event.ServerToClient {
		i = 1
	}
	last := &c.lastWire[i]
	if last.src != nil && len(last.src) == len(record) && &last.src[0] == &record[0] {
		return last.copy
	}
	cp := append([]byte(nil), record...)
	*last = wireCopy{src: record, copy: cp}
	return cp
}

// Close closes the socket, wakes a held line and logs the end once.
func (c *Conn) Close() error {
	err := c.TimedConn.Close()
	c.closeOnce.Do(func() {
		c.cancel()
		ev := c.base
		ev.Kind = event.KindClose
		c.sink.Emit(&ev)
	})
	return err
}
