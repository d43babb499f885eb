package scenario

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/world"
)

// accepted is a message an MSA or MX took responsibility for: a 250 reply
// to the client's lone "." (RFC 5321 §4.1.1.4, §6.1).
type accepted struct {
	conn   uint64
	server string
	proto  string
	reply  string
	lines  []string // what the client sent between 354 and "."
}

// acceptedMessages walks the log connection by connection.
func acceptedMessages(log []event.Event) []accepted {
	type conn struct {
		inData, dot bool
		lines       []string
	}
	conns := map[uint64]*conn{}
	var out []accepted
	for _, ev := range log {
		if ev.Kind != event.KindLine || (ev.Proto != "smtp" && ev.Proto != "submission") {
			continue
		}
		c := conns[ev.Conn]
		if c == nil {
			c = &conn{}
			conns[ev.Conn] = c
		}
		switch {
		case ev.Dir == event.ClientToServer && c.inData && ev.Text == ".":
			c.inData, c.dot = false, true
		case ev.Dir == event.ClientToServer && c.inData:
			c.lines = append(c.lines, ev.Text)
		case ev.Dir == event.ServerToClient && strings.HasPrefix(ev.Text, "354"):
			c.inData, c.lines = true, nil
		case ev.Dir == event.ServerToClient && c.dot:
			c.dot = false
			if strings.HasPrefix(ev.Text, "250") {
				out = append(out, accepted{conn: ev.Conn, server: ev.Server, proto: ev.Proto, reply: ev.Text, lines: c.lines})
			}
		}
	}
	return out
}

var queuedAs = regexp.MustCompile(`queued as ([A-Za-z0-9]+)`)

// messageID finds the Message-ID of an accepted message: an MSA adds it, so
// it is read back from the queue; an MX received it with the message.
func messageID(t *testing.T, w *world.World, a accepted) string {
	t.Helper()
	if a.proto == "submission" {
		m := queuedAs.FindStringSubmatch(a.reply)
		require.NotNil(t, m, "no queue id in %q", a.reply)
		raw, ok := w.Provider(strings.TrimPrefix(a.server, "smtp.")).Queue.Message(m[1])
		require.True(t, ok, "queue item %s", m[1])
		return fieldValue(strings.Split(string(raw), "\r\n"), "Message-ID")
	}
	return fieldValue(a.lines, "Message-ID")
}

func fieldValue(lines []string, name string) string {
	for _, l := range lines {
		if l == "" {
			break // end of the header section
		}
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// No accepted message is ever lost: in every scenario, every message an MSA
// or MX answered 250 after DATA ends up in a mailbox (on a server or a
// device), or its header comes back in a bounce.
func TestEveryAcceptedMessageArrives(t *testing.T) {
	for _, sc := range All() {
		t.Run(sc.ID, func(t *testing.T) {
			r := runScenario(t, sc.ID)
			copies := allCopies(t, r.World)
			acc := acceptedMessages(r.World.Conductor.Log())
			// relay-denied accepts no mail; imap-resync starts with Bob's
			// mail already in the store (bobHasMail) and sends none.
			if sc.ID != "relay-denied" && sc.ID != "imap-resync" {
				assert.NotEmpty(t, acc, "the walker found no accepted message")
			}
			found := 0
			for _, a := range acc {
				id := messageID(t, r.World, a)
				if !assert.NotEmpty(t, id, "%s #%d: no Message-ID", a.server, a.conn) {
					continue
				}
				if assert.True(t, storedSomewhere(copies, id), "%s #%d accepted %s: not in any mailbox", a.server, a.conn, id) {
					found++
				}
			}
			assert.Equal(t, len(acc), found)
		})
	}
}

func storedSomewhere(copies []copyOf, id string) bool {
	for _, c := range copies {
		if bytes.Contains(c.raw, []byte(id)) {
			return true
		}
	}
	return false
}

// The walker itself: a refused message and a DATA that never started count
// for nothing.
func TestAcceptedMessagesWalker(t *testing.T) {
	line := func(conn uint64, dir event.Dir, text string) event.Event {
		return event.Event{Kind: event.KindLine, Conn: conn, Proto: "smtp", Server: "mx", Dir: dir, Text: text}
	}
	C, S := event.ClientToServer, event.ServerToClient
	log := []event.Event{
		line(1, C, "DATA"), line(1, S, "354 go"), line(1, C, "Message-ID: <a@x>"), line(1, C, ""),
		line(1, C, "hi"), line(1, C, "."), line(1, S, "250 ok"),
		line(2, C, "DATA"), line(2, S, "554 no"), line(2, C, "QUIT"), line(2, S, "221 bye"),
		line(3, C, "DATA"), line(3, S, "354 go"), line(3, C, "big"), line(3, C, "."), line(3, S, "552 too big"),
	}
	got := acceptedMessages(log)
	require.Len(t, got, 1)
	assert.Equal(t, uint64(1), got[0].conn)
	assert.Equal(t, "<a@x>", fieldValue(got[0].lines, "message-id"))
}
