package wire

import "maillab/simulator/event"

// Recorder is an optional part of a Sink: it receives every run of bytes
// that crossed a tapped socket, in order, so a capture file can be rebuilt
// exactly. Events cannot give that: they keep lines, capped, and repeat a
// TLS record on each line it carried.
type Recorder interface {
	Record(ch event.Chunk)
}

// recordChunk hands b, a copy the recorder may keep, on.
func (c *Conn) recordChunk(dir event.Dir, b []byte, credential bool) {
	c.rec.Record(event.Chunk{Conn: c.base.Conn, Dir: dir, Bytes: b, Credential: credential})
}
