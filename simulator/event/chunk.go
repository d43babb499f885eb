package event

import "time"

// Chunk is a run of bytes exactly as it crossed one connection's socket:
// plaintext, or TLS records as they were sent. Events keep single lines;
// chunks keep everything, so a capture file can be rebuilt byte for byte.
// Chunks are not events: they never reach the log, the UI or the goldens.
type Chunk struct {
	// Seq is the number of events logged when the chunk was recorded: it
	// came after event Seq and before event Seq+1.
	Seq   uint64
	Time  time.Time
	Conn  uint64
	Dir   Dir
	Bytes []byte
	// Omitted counts bytes that crossed the socket before Bytes but were
	// not recorded (the middle of an over-long line, a body past its
	// recording limit); a capture keeps the gap in its sequence numbers.
	Omitted int64
	// Credential marks plaintext bytes that end a line carrying a password
	// or a SASL response (see Event.Credential).
	Credential bool
}
