package wire

import (
	"bytes"

	"maillab/simulator/event"
)

// Recorder is an optional part of a Sink: it receives every run of bytes
// that crossed a tapped socket, in order, so a capture file can be rebuilt
// exactly. Events cannot give that: they keep lines, capped, and repeat a
// TLS record on each line it carried.
//
// What is recorded is bounded like the events: the middle of an over-long
// line and the lines of a body past its recording limit are left out, and
// a chunk says how many bytes were (Chunk.Omitted), so a capture keeps its
// TCP sequence numbers right.
type Recorder interface {
	Record(ch event.Chunk)
}

// chunkNotes collects one direction's bytes for the recorder until a frame
// ends them: the bytes kept, and how many were left out before them.
type chunkNotes struct {
	held    []byte
	omitted int64
}

// note takes a segment's bytes after its frame was logged; skip says the
// frame was a body line past the limit (nothing of it is kept).
func (c *Conn) note(n *chunkNotes, dir event.Dir, seg segment, credential, skip bool) {
	if c.rec == nil {
		return
	}
	switch {
	case skip:
		k := int64(len(seg.bytes))
		if seg.cut {
			k = int64(seg.head) + seg.omitted + int64(len(seg.keep))
		}
		n.omitted += int64(len(n.held)) + k
		n.held = nil
		return
	case seg.cut:
		n.held = append(n.held, seg.bytes[:seg.head]...)
		if seg.omitted > 0 {
			c.flushNotes(n, dir, false)
			n.omitted = seg.omitted
		}
		n.held = append(n.held, seg.keep...)
	case len(n.held) == 0 && seg.f != nil && seg.f.line && bytes.Equal(seg.bytes, seg.f.raw):
		// A whole plaintext line in one piece: the chunk keeps the line's
		// own bytes, which its event keeps too and nothing changes, instead
		// of a copy of them (a copy per line was a third of the tap's
		// allocations in a message body).
		n.held = seg.f.raw[:len(seg.f.raw):len(seg.f.raw)]
	default:
		n.held = append(n.held, seg.bytes...)
	}
	if seg.f != nil {
		c.flushNotes(n, dir, credential)
	}
}

// flushNotes hands what was collected on as one chunk.
func (c *Conn) flushNotes(n *chunkNotes, dir event.Dir, credential bool) {
	if c.rec == nil || len(n.held) == 0 && n.omitted == 0 {
		return
	}
	c.rec.Record(event.Chunk{Conn: c.base.Conn, Dir: dir, Bytes: n.held, Omitted: n.omitted, Credential: credential})
	n.held, n.omitted = nil, 0
}

// partial reports whether the stream is inside a line or a TLS record.
func (s *stream) partial() bool {
	if s.tls {
		return len(s.rec) > 0
	}
	return !s.lines.atBoundary()
}

// skipEvent is the event that stands for a direction's skipped body lines.
func (c *Conn) skipEvent(dir event.Dir, s skipped) event.Event {
	ev := c.base
	ev.Kind, ev.Dir, ev.Omitted, ev.OmittedLines, ev.Limit = event.KindSkip, dir, s.bytes, s.lines, c.body.limit
	return ev
}
