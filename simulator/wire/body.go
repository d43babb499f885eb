package wire

import (
	"strconv"
	"strings"

	"maillab/simulator/event"
)

// DefaultBodyRecord is how much of one message body the tap records when
// its service names no smaller limit (Service.BodyRecord): every lesson's
// message fits many times, a 50 MB attachment does not.
const DefaultBodyRecord = 256 << 10

// maxPOP3Pending bounds the POP3 commands remembered while they wait for
// their answer (a client may pipeline, RFC 2449 §6.6).
const maxPOP3Pending = 64

// bodyTracker follows one connection's lines to know which of them carry a
// message body: an SMTP or LMTP DATA body (RFC 5321 §4.1.1.4) or BDAT chunk
// (RFC 3030), an IMAP literal either way (RFC 9051 §4.3), a POP3 answer to
// RETR or TOP (RFC 1939 §7). Past limit bytes of one body, its lines are
// skipped: passed on, counted, not recorded. It knows no more protocol
// than that. The zero value records everything; it is not safe for
// concurrent use.
type bodyTracker struct {
	proto    string
	limit    int64
	dataSent bool   // SMTP: the client sent DATA, a 354 starts the body
	pop3     []bool // POP3: per command awaiting its status, whether it was RETR or TOP
	// IMAP: the client's literal waits for the server's "+" (RFC 9051
	// §7.5); a tagged answer instead refuses it, and no literal follows.
	syncLiteral bool
	side        [2]bodyState
}

type bodyState struct {
	dotted  bool  // in a body that ends with a line "."
	count   int64 // bytes left of a counted body (BDAT, a literal)
	seen    int64 // bytes of the current body so far
	pending skipped
}

// skipped counts body lines that were not recorded and not yet reported.
type skipped struct {
	lines, bytes int64
}

func newBodyTracker(proto string, limit int64) bodyTracker {
	if limit <= 0 {
		limit = DefaultBodyRecord
	}
	return bodyTracker{proto: proto, limit: limit}
}

func sideOf(dir event.Dir) int {
	if dir == event.ServerToClient {
		return 1
	}
	return 0
}

// line takes the next line of dir, n bytes long. skip says it is a body
// line past the limit; otherwise rep is what was skipped before it in its
// direction, to be reported ahead of it.
func (b *bodyTracker) line(dir event.Dir, text string, n int64, credential bool) (skip bool, rep skipped) {
	st := &b.side[sideOf(dir)]
	switch {
	case st.count > 0 && n <= st.count:
		st.count -= n
		if b.bodyLine(st, n) {
			return true, skipped{}
		}
	case st.dotted && text != ".":
		if b.bodyLine(st, n) {
			return true, skipped{}
		}
	default:
		// A line past a literal's end, or the "." that ends a body, or a
		// command or reply.
		st.count, st.dotted = 0, false
		b.command(dir, text, credential)
	}
	rep, st.pending = st.pending, skipped{}
	return false, rep
}

func (b *bodyTracker) bodyLine(st *bodyState, n int64) bool {
	if b.limit == 0 {
		return false // the zero value
	}
	st.seen += n
	if st.seen <= b.limit {
		return false
	}
	st.pending.lines++
	st.pending.bytes += n
	return true
}

// flush returns what was skipped and not reported yet, in both directions.
func (b *bodyTracker) flush() [2]skipped {
	out := [2]skipped{b.side[0].pending, b.side[1].pending}
	b.side[0].pending, b.side[1].pending = skipped{}, skipped{}
	return out
}

// command notes a line that is not part of a body: it may start one.
func (b *bodyTracker) command(dir event.Dir, text string, credential bool) {
	me := &b.side[sideOf(dir)]
	switch b.proto {
	case "smtp", "submission", "lmtp":
		if dir == event.ServerToClient {
			if b.dataSent && strings.HasPrefix(text, "354") {
				b.dataSent = false
				c := &b.side[0]
				c.dotted, c.seen = true, 0
			}
			return
		}
		f := strings.Fields(text)
		verb := ""
		if len(f) > 0 {
			verb = strings.ToUpper(f[0])
		}
		b.dataSent = verb == "DATA" && len(f) == 1
		switch verb {
		case "MAIL":
			me.seen = 0
		case "BDAT":
			if len(f) > 1 {
				if n, err := strconv.ParseInt(f[1], 10, 64); err == nil && n > 0 {
					me.count = n
				}
			}
		}
	case "imap":
		c := &b.side[0]
		if dir == event.ServerToClient && b.syncLiteral && c.count > 0 && c.seen == 0 &&
			!strings.HasPrefix(text, "+") && !strings.HasPrefix(text, "*") {
			c.count = 0
		}
		if dir == event.ServerToClient && strings.HasPrefix(text, "+") {
			b.syncLiteral = false
		}
		if n := literalSize(text); n > 0 {
			me.count, me.seen = n, 0
			b.syncLiteral = dir == event.ClientToServer && !strings.HasSuffix(text, "+}")
		}
	case "pop3":
		if dir == event.ClientToServer {
			if credential {
				return // a SASL response is no command
			}
			f := strings.Fields(text)
			retr := len(f) > 0 && (strings.EqualFold(f[0], "RETR") || strings.EqualFold(f[0], "TOP"))
			if len(b.pop3) == maxPOP3Pending {
				b.pop3 = b.pop3[1:]
			}
			b.pop3 = append(b.pop3, retr)
			return
		}
		ok := strings.HasPrefix(text, "+OK")
		if !ok && !strings.HasPrefix(text, "-ERR") || len(b.pop3) == 0 {
			return
		}
		retr := b.pop3[0]
		b.pop3 = b.pop3[1:]
		if retr && ok {
			me.dotted, me.seen = true, 0
		}
	}
}

// literalSize is n of a line that ends with an IMAP literal "{n}" or
// "{n+}" (or a literal8 "~{n}"), 0 otherwise.
func literalSize(line string) int64 {
	if !endsWithLiteral(line) {
		return 0
	}
	open := strings.LastIndexByte(line, '{')
	n, err := strconv.ParseInt(strings.TrimSuffix(line[open+1:len(line)-1], "+"), 10, 64)
	if err != nil {
		return 0
	}
	return n
}
