package wire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/simulator/event"
)

// step is one line of a conversation for the body tracker.
type step struct {
	dir  event.Dir
	text string
}

func bc(text string) step { return step{event.ClientToServer, text} }
func bs(text string) step { return step{event.ServerToClient, text} }

// lines20 is a body of 20 lines of 10 bytes each (CRLF included).
func lines20(dir event.Dir) []step {
	var out []step
	for i := range 20 {
		out = append(out, step{dir, fmt.Sprintf("line %04d", i)[:8]})
	}
	return out
}

func join(parts ...[]step) []step {
	var out []step
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// With a limit of 50 bytes, a 20-line body of 200 bytes keeps 5 lines and
// skips 15 (150 bytes), reported before the line after the body.
func TestBodyTrackerSkipsPastTheLimit(t *testing.T) {
	tests := []struct {
		name    string
		proto   string
		lines   []step
		skipped []int // indexes of the skipped lines
		report  int   // index of the line the skip is reported before
	}{
		{name: "SMTP DATA", proto: "smtp",
			lines: join([]step{bc("MAIL FROM:<a@b>"), bs("250 ok"), bc("DATA"), bs("354 go ahead")}, lines20(event.ClientToServer),
				[]step{bc("."), bs("250 queued")}),
			skipped: span(9, 24), report: 24},
		{name: "pipelined SMTP", proto: "submission",
			lines: join([]step{bc("MAIL FROM:<a@b>"), bc("RCPT TO:<c@d>"), bc("DATA"), bs("250 ok"), bs("250 ok"), bs("354 go ahead")},
				lines20(event.ClientToServer), []step{bc("."), bs("250 queued")}),
			skipped: span(11, 26), report: 26},
		{name: "DATA refused: no body", proto: "smtp",
			lines:   join([]step{bc("DATA"), bs("554 no valid recipients")}, lines20(event.ClientToServer)),
			skipped: nil},
		{name: "LMTP DATA", proto: "lmtp",
			lines: join([]step{bc("DATA"), bs("354 go ahead")}, lines20(event.ClientToServer),
				[]step{bc("."), bs("250 ok"), bs("250 ok")}),
			skipped: span(7, 22), report: 22},
		{name: "BDAT chunk", proto: "smtp",
			lines:   join([]step{bc("BDAT 200 LAST")}, lines20(event.ClientToServer), []step{bs("250 ok")}),
			skipped: span(6, 21), report: -1},
		{name: "IMAP APPEND literal", proto: "imap",
			lines: join([]step{bc("A1 APPEND INBOX {200}"), bs("+ Ready for literal data")}, lines20(event.ClientToServer),
				[]step{bc(""), bs("A1 OK APPEND completed")}),
			skipped: span(7, 22), report: 22},
		{name: "IMAP literal refused: no body", proto: "imap",
			lines:   join([]step{bc("A1 APPEND INBOX {200}"), bs("A1 NO [LIMIT] too big")}, lines20(event.ClientToServer)),
			skipped: nil},
		{name: "IMAP non-synchronizing literal", proto: "imap",
			lines:   join([]step{bc("A1 APPEND INBOX {200+}")}, lines20(event.ClientToServer), []step{bc("")}),
			skipped: span(6, 21), report: 21},
		{name: "IMAP FETCH literal", proto: "imap",
			lines: join([]step{bc("A2 FETCH 1 BODY[]"), bs("* 1 FETCH (BODY[] {200}")}, lines20(event.ServerToClient),
				[]step{bs(")"), bs("A2 OK FETCH completed")}),
			skipped: span(7, 22), report: 22},
		{name: "POP3 RETR", proto: "pop3",
			lines: join([]step{bs("+OK ready"), bc("STAT"), bc("RETR 1"), bs("+OK 2 0"), bs("+OK 200 octets")},
				lines20(event.ServerToClient), []step{bs("."), bc("QUIT")}),
			skipped: span(10, 25), report: 25},
		{name: "POP3 RETR refused", proto: "pop3",
			lines:   join([]step{bc("RETR 9"), bs("-ERR no such message")}, lines20(event.ServerToClient)),
			skipped: nil},
		{name: "POP3 AUTH does not shift the answers", proto: "pop3",
			lines: join([]step{bc("AUTH PLAIN"), bs("+ "), {event.ClientToServer, "AGFsaWNlAHNlY3JldA=="}, bs("+OK logged in"),
				bc("LIST"), bs("+OK 1 messages"), bs("1 200"), bs("."), bc("RETR 1"), bs("+OK 200 octets")},
				lines20(event.ServerToClient), []step{bs(".")}),
			skipped: span(15, 30), report: 30},
		{name: "a body line is no command", proto: "smtp",
			lines: join([]step{bc("DATA"), bs("354 go ahead"), bc("DATA"), bc("MAIL FROM:<x@y>")}, lines20(event.ClientToServer),
				[]step{bc("."), bs("250 ok")}),
			skipped: span(6, 24), report: 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBodyTracker(tc.proto, 50)
			var skipped []int
			reported := -1
			for i, l := range tc.lines {
				credential := tc.proto == "pop3" && strings.HasPrefix(l.text, "AGFs")
				skip, rep := b.line(l.dir, l.text, int64(len(l.text)+2), credential)
				if skip {
					skipped = append(skipped, i)
				}
				if rep.lines > 0 {
					assert.Equal(t, -1, reported, "reported once")
					reported = i
					assert.Equal(t, int64(len(tc.skipped)), rep.lines, "lines")
					assert.Equal(t, int64(10*len(tc.skipped)), rep.bytes, "bytes")
				}
			}
			assert.Equal(t, tc.skipped, skipped)
			if tc.report < 0 && len(tc.skipped) > 0 {
				left := b.flush()
				assert.Equal(t, int64(len(tc.skipped)), left[0].lines+left[1].lines, "reported at the close")
				return
			}
			if len(tc.skipped) > 0 {
				assert.Equal(t, tc.report, reported, "reported before the line after the body")
			}
		})
	}
}

func span(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// The zero value records everything: a sink without limits.
func TestBodyTrackerZeroValueSkipsNothing(t *testing.T) {
	var b bodyTracker
	for _, l := range join([]step{bc("DATA"), bs("354 go")}, lines20(event.ClientToServer)) {
		skip, _ := b.line(l.dir, l.text, 10, false)
		assert.False(t, skip)
	}
}
