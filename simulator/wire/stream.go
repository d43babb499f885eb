package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// MaxLineDisplay caps how much of one line an event keeps. A longer line
// keeps its first lineHead and its last lineTail bytes, in an event marked
// Truncated that says how many bytes were left out between them (Omitted);
// the capture keeps the same parts. The bytes themselves pass unchanged.
const MaxLineDisplay = 8192

const (
	lineTail = 1024
	lineHead = MaxLineDisplay - lineTail
)

// frame is one unit a viewer steps through: a protocol line, or a TLS record
// that carried no line.
type frame struct {
	line      bool
	text      string
	raw       []byte
	wire      []byte
	encrypted bool
	truncated bool
	tail      string // the end of a truncated line
	omitted   int64  // bytes of a truncated line between raw's start and its tail
}

// segment is a run of bytes to pass on; when f is set the bytes may only
// pass once the frame has been released.
type segment struct {
	bytes []byte
	f     *frame
	// cut says the capture keeps only bytes[:head] of bytes now (a long
	// line); at the line's end it leaves omitted bytes out and keeps keep
	// (the line's last part) in their place.
	cut     bool
	head    int
	omitted int64
	keep    []byte
}

// stream splits one direction of a connection into frames. It starts in
// line mode and switches to TLS records when a record header appears at a
// line boundary (a STARTTLS upgrade or an implicit-TLS port): no text
// protocol line starts with byte 0x16.
type stream struct {
	session *tlsSession
	keys    recordKeys
	tls     bool
	lines   lineSplitter // plaintext, or decrypted application data
	rec     []byte       // a TLS record being collected
}

func newStream(session *tlsSession, secrets Secrets, client bool) *stream {
	return &stream{session: session, keys: recordKeys{session: session, secrets: secrets, client: client}}
}

// feed takes the next bytes of the direction and returns the segments in
// order. Concatenating the segments' bytes gives back p exactly.
func (s *stream) feed(p []byte) []segment {
	var out []segment
	for len(p) > 0 {
		if !s.tls {
			if s.lines.atBoundary() && p[0] == recHandshake {
				s.tls = true
				continue
			}
			n, segs := s.lines.feedPlain(p[:plainPrefix(p)])
			if out == nil && n == len(p) {
				return segs // all of p in plain lines: no copy
			}
			out = append(out, segs...)
			p = p[n:]
			continue
		}
		n, segs := s.feedTLS(p)
		out = append(out, segs...)
		p = p[n:]
	}
	return out
}

// plainPrefix is the part of p before a record header that follows a line
// end, so a ClientHello read together with "STARTTLS\r\n" is still seen.
func plainPrefix(p []byte) int {
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '\n' && p[i+1] == recHandshake {
			return i + 1
		}
	}
	return len(p)
}

// feedTLS consumes at most one record from p. The bytes of a record pass
// with its last frame; bytes of an unfinished record pass at once (the peer
// cannot decrypt half a record).
func (s *stream) feedTLS(p []byte) (int, []segment) {
	take := s.recordWant() - len(s.rec)
	if take > len(p) {
		take = len(p)
	}
	s.rec = append(s.rec, p[:take]...)
	if len(s.rec) < s.recordWant() {
		return take, []segment{{bytes: p[:take]}}
	}
	record := s.rec
	s.rec = nil
	segs := s.recordFrames(record)
	if len(segs) == 0 {
		return take, []segment{{bytes: p[:take]}}
	}
	segs[len(segs)-1].bytes = p[:take]
	return take, segs
}

func (s *stream) recordWant() int {
	if len(s.rec) < 5 {
		return 5
	}
	return 5 + int(binary.BigEndian.Uint16(s.rec[3:5]))
}

func (s *stream) recordFrames(record []byte) []segment {
	switch record[0] {
	case recHandshake:
		name := s.session.parseHello(record)
		return []segment{{f: &frame{text: "TLS " + name, wire: record, encrypted: false}}}
	case recChangeCipherSpec:
		return []segment{{f: &frame{text: "TLS ChangeCipherSpec", wire: record}}}
	case recApplicationData:
		return s.appRecord(record)
	case recAlert:
		return []segment{{f: &frame{text: "TLS alert", wire: record, encrypted: true}}}
	}
	return []segment{{f: &frame{text: fmt.Sprintf("TLS record type %d", record[0]), wire: record}}}
}

func (s *stream) appRecord(record []byte) []segment {
	inner, plain, err := s.keys.decrypt(record)
	if err != nil {
		return []segment{{f: &frame{text: fmt.Sprintf("TLS encrypted record (%d bytes)", len(record)),
			wire: record, encrypted: true}}}
	}
	switch inner {
	case recHandshake:
		return []segment{{f: &frame{text: "TLS " + handshakeNames(plain), wire: record, encrypted: true}}}
	case recAlert:
		return []segment{{f: &frame{text: "TLS alert", wire: record, encrypted: true}}}
	case recApplicationData:
		_, segs := s.lines.feedPlain(plain)
		var out []segment
		for _, sg := range segs {
			if sg.f != nil {
				sg.f.encrypted, sg.f.wire = true, record
				out = append(out, segment{f: sg.f}) // the record's bytes go with the last
			}
		}
		return out
	}
	return []segment{{f: &frame{text: "TLS record", wire: record, encrypted: true}}}
}

// handshakeNames names the TLS 1.3 handshake messages in one record.
func handshakeNames(msgs []byte) string {
	names := map[byte]string{4: "NewSessionTicket", 8: "EncryptedExtensions", 11: "Certificate",
		13: "CertificateRequest", 15: "CertificateVerify", 20: "Finished", 24: "KeyUpdate"}
	var parts [][]byte
	for len(msgs) >= 4 {
		n := int(msgs[1])<<16 | int(msgs[2])<<8 | int(msgs[3])
		name, ok := names[msgs[0]]
		if !ok {
			name = fmt.Sprintf("handshake(%d)", msgs[0])
		}
		parts = append(parts, []byte(name))
		if len(msgs) < 4+n {
			break
		}
		msgs = msgs[4+n:]
	}
	return string(bytes.Join(parts, []byte(", ")))
}

// lineSplitter cuts bytes into CRLF- or LF-terminated lines. A line
// longer than MaxLineDisplay keeps its first lineHead and last lineTail
// bytes; its frame comes at its end and says how many bytes were left out.
type lineSplitter struct {
	partial []byte // the current line so far; once long, its first lineHead bytes
	long    bool   // the current line is longer than MaxLineDisplay
	tail    []byte // once long: the line's last lineTail bytes so far
	size    int64  // once long: the line's length so far
	saved   int64  // once long: how many of its bytes the capture kept
}

func (l *lineSplitter) atBoundary() bool { return len(l.partial) == 0 && !l.long }

// feedPlain consumes all of p and returns its segments.
// The segments and the frames of p's lines are made at once, each in one
// allocation of the right size: a message body's 32 KiB read holds a few
// thousand lines, and growing the list and allocating each frame on its own
// was most of what the tap allocated per line.
func (l *lineSplitter) feedPlain(p []byte) (int, []segment) {
	lines := bytes.Count(p, []byte{'\n'})
	out := make([]segment, 0, lines+1)
	frames := make([]frame, lines)
	start := 0
	for len(out) < lines {
		i := start + bytes.IndexByte(p[start:], '\n')
		out = append(out, l.endLine(p[start:i+1], &frames[len(out)]))
		start = i + 1
	}
	if start < len(p) {
		out = append(out, l.rest(p[start:]))
	}
	return len(p), out
}

// endLine finishes a line with its last chunk; f is where its frame goes.
func (l *lineSplitter) endLine(chunk []byte, f *frame) segment {
	if !l.long && len(l.partial)+len(chunk) <= MaxLineDisplay {
		raw := append(l.partial, chunk...)
		l.partial = nil
		*f = frame{line: true, text: lineText(raw), raw: raw}
		return segment{bytes: chunk, f: f}
	}
	seg := l.grow(chunk)
	head, tail := l.partial, l.tail
	// The capture: what it has not kept yet, the end of it as the line's
	// last part, the rest left out.
	unsaved := l.size - l.saved
	keep := tail[len(tail)-int(min(int64(len(tail)), unsaved)):]
	seg.omitted, seg.keep = unsaved-int64(len(keep)), keep
	raw := append(head[:len(head):len(head)], tail...)
	*f = frame{line: true, text: lineText(head), raw: raw, truncated: true, tail: lineText(tail),
		omitted: l.size - int64(len(head)) - int64(len(tail))}
	seg.f = f
	*l = lineSplitter{}
	return seg
}

// rest keeps an unfinished line. Its bytes pass at once: the peer cannot act
// on half a line, and holding an endless line would buffer without bound.
func (l *lineSplitter) rest(chunk []byte) segment {
	if !l.long && len(l.partial)+len(chunk) <= MaxLineDisplay {
		l.partial = append(l.partial, chunk...)
		return segment{bytes: chunk}
	}
	return l.grow(chunk)
}

// grow adds chunk to a line that is, or now becomes, longer than
// MaxLineDisplay. The capture keeps the chunk's bytes that still belong to
// the line's first part; the rest waits for the line's end (its last part).
func (l *lineSplitter) grow(chunk []byte) segment {
	seg := segment{bytes: chunk, cut: true}
	if !l.long {
		// Everything so far passed whole; the capture has it.
		l.long, l.size, l.saved = true, int64(len(l.partial)), int64(len(l.partial))
		l.tail = keepLast(nil, l.partial, lineTail)
		seg.head = max(0, min(len(chunk), lineHead-len(l.partial)))
		l.saved += int64(seg.head)
		if len(l.partial) > lineHead {
			l.partial = l.partial[:lineHead:lineHead]
		}
		l.partial = append(l.partial, chunk[:min(len(chunk), lineHead-len(l.partial))]...)
	}
	l.size += int64(len(chunk))
	l.tail = keepLast(l.tail, chunk, lineTail)
	return seg
}

// keepLast appends p to buf and keeps the last n bytes.
func keepLast(buf, p []byte, n int) []byte {
	if len(p) >= n {
		return append(buf[:0], p[len(p)-n:]...)
	}
	if over := len(buf) + len(p) - n; over > 0 {
		buf = append(buf[:0], buf[over:]...)
	}
	return append(buf, p...)
}

func lineText(raw []byte) string {
	t := bytes.TrimSuffix(raw, []byte("\n"))
	t = bytes.TrimSuffix(t, []byte("\r"))
	return string(t)
}
