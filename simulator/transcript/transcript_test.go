package transcript

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/event"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// conn returns a line maker for one connection.
func conn(id uint64, client, server, proto string, port int, addr string) func(dir event.Dir, text string) event.Event {
	return func(dir event.Dir, text string) event.Event {
		return event.Event{Kind: event.KindLine, Conn: id, Client: client, Server: server, Proto: proto,
			Port: port, Addr: addr, Dir: dir, Text: text}
	}
}

var (
	sub = conn(1, "alice-laptop", "smtp.example.org", "submission", 587, "127.77.1.20:41587")
	ext = conn(2, "", "mail.example.net", "pop3", 110, "127.0.0.1:10110")
)

func write(t *testing.T, log []event.Event, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Write(&b, log, opts))
	return b.String()
}

func encrypted(ev event.Event) event.Event  { ev.Encrypted = true; return ev }
func credential(ev event.Event) event.Event { ev.Credential = true; return ev }

func TestWriteHeadersAndLines(t *testing.T) {
	log := []event.Event{
		{Kind: event.KindOpen, Conn: 1},
		sub(event.ServerToClient, "220 smtp.example.org ESMTP"),
		sub(event.ClientToServer, "EHLO localhost"),
		ext(event.ServerToClient, "+OK POP3 ready"),
		sub(event.ServerToClient, "250 smtp.example.org"),
		encrypted(sub(event.ClientToServer, "MAIL FROM:<alice@example.org>")),
		{Kind: event.KindClose, Conn: 1},
	}
	want := "" +
		"--- #1 alice-laptop -> smtp.example.org  SUBMISSION, port 587 (here 127.77.1.20:41587)\n" +
		"S: 220 smtp.example.org ESMTP\n" +
		"C: EHLO localhost\n" +
		"--- #2 external client -> mail.example.net  POP3, port 110 (here 127.0.0.1:10110)\n" +
		"S: +OK POP3 ready\n" +
		"--- #1 alice-laptop -> smtp.example.org  SUBMISSION, port 587 (here 127.77.1.20:41587)\n" +
		"S: 250 smtp.example.org\n" +
		"C: [TLS] MAIL FROM:<alice@example.org>\n"
	assert.Equal(t, want, write(t, log, Options{}))
}

// TestWriteCustomHeader: an export renders the connection header in the
// reader's language; the lines stay as they are.
func TestWriteCustomHeader(t *testing.T) {
	log := []event.Event{sub(event.ServerToClient, "220 ready"), ext(event.ServerToClient, "+OK")}
	header := func(ev event.Event) string { return fmt.Sprintf("=== %d %s", ev.Conn, ev.Server) }
	assert.Equal(t, "=== 1 smtp.example.org\nS: 220 ready\n=== 2 mail.example.net\nS: +OK\n", write(t, log, Options{Header: header}))
}

func TestWriteCredentials(t *testing.T) {
	auth := credential(encrypted(sub(event.ClientToServer, "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")))
	pass := credential(ext(event.ClientToServer, "PASS builder"))
	tests := []struct {
		name    string
		secrets bool
		want    []string
		notWant string
	}{
		{"redacted", false, []string{"C: [TLS] AUTH PLAIN ********", "C: PASS ********"}, "wonderland"},
		{"shown", true, []string{"C: [TLS] AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "C: PASS builder"}, "********"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := write(t, []event.Event{auth, pass}, Options{ShowSecrets: tc.secrets})
			for _, w := range tc.want {
				assert.Contains(t, out, w+"\n")
			}
			assert.NotContains(t, out, tc.notWant)
			if !tc.secrets {
				assert.NotContains(t, out, "AGFsaWNl")
				assert.NotContains(t, out, "builder")
			}
		})
	}
}

func TestWriteTLSEvents(t *testing.T) {
	hello := sub(event.ClientToServer, "ClientHello")
	hello.Kind = event.KindTLS
	log := []event.Event{hello, sub(event.ServerToClient, "220 ready")}

	out := write(t, log, Options{})
	assert.NotContains(t, out, "ClientHello")
	assert.Equal(t, 1, strings.Count(out, "--- #1"))

	out = write(t, log, Options{ShowTLS: true})
	assert.Contains(t, out, "   [C ClientHello]\n")
	assert.Equal(t, 1, strings.Count(out, "--- #1"), "the TLS record opened the header")
	assert.True(t, strings.HasPrefix(out, "--- #1 "))
}

func TestWriteTruncatedAndExplain(t *testing.T) {
	long := sub(event.ClientToServer, "XXXX")
	long.Truncated = true
	quit := sub(event.ClientToServer, "QUIT")
	explain := func(ev event.Event) string {
		if ev.Text == "QUIT" {
			return "ends the session"
		}
		return ""
	}
	out := write(t, []event.Event{long, quit}, Options{Explain: explain})
	assert.Contains(t, out, "C: XXXX [...]\nC: QUIT\n     # ends the session\n")
	assert.Equal(t, 1, strings.Count(out, "     #"), "no empty explanation")
}

func TestWriteActionsAndStates(t *testing.T) {
	action := event.Event{Kind: event.KindAction, Actor: "alice-laptop", Code: "action.alice-sends"}
	state := event.Event{Kind: event.KindState, Code: "state.queued"}
	silent := event.Event{Kind: event.KindState, Code: "state.silent"}
	log := []event.Event{
		sub(event.ServerToClient, "220 ready"),
		action,
		sub(event.ClientToServer, "EHLO localhost"),
		state, silent,
		sub(event.ServerToClient, "250 ok"),
	}
	header := "--- #1 alice-laptop -> smtp.example.org  SUBMISSION, port 587 (here 127.77.1.20:41587)\n"

	t.Run("without Describe", func(t *testing.T) {
		want := header + "S: 220 ready\n" +
			"\n* action.alice-sends\n" +
			header + "C: EHLO localhost\n" +
			"S: 250 ok\n"
		assert.Equal(t, want, write(t, log, Options{}), "actions show their code, states nothing")
	})
	t.Run("with Describe", func(t *testing.T) {
		describe := func(ev event.Event) string {
			switch ev.Code {
			case "action.alice-sends":
				return "Alice clicks Send"
			case "state.queued":
				return "queued"
			}
			return ""
		}
		want := header + "S: 220 ready\n" +
			"\n* Alice clicks Send\n" +
			header + "C: EHLO localhost\n" +
			"  (queued)\n" +
			header + "S: 250 ok\n"
		assert.Equal(t, want, write(t, log, Options{Describe: describe}))
	})
}

type failingWriter struct{ calls int }

func (f *failingWriter) Write(p []byte) (int, error) {
	f.calls++
	return 0, errors.New("disk full")
}

func TestWriteStopsAtFirstError(t *testing.T) {
	w := &failingWriter{}
	err := Write(w, []event.Event{sub(event.ServerToClient, "220"), sub(event.ClientToServer, "EHLO")}, Options{})
	assert.EqualError(t, err, "disk full")
	assert.Equal(t, 1, w.calls)
}

func TestByConnection(t *testing.T) {
	b := conn(2, "bob-laptop", "mail.example.net", "pop3", 110, "x")
	a := conn(1, "smtp.example.org", "mx.example.net", "smtp", 25, "y")
	act1 := event.Event{Kind: event.KindAction, Code: "action.first"}
	act2 := event.Event{Kind: event.KindAction, Code: "action.second"}
	note := event.Event{Kind: event.KindState, Code: "state.note"}
	log := []event.Event{
		b(event.ServerToClient, "b1"),
		act1,
		a(event.ServerToClient, "a1"),
		note,
		b(event.ClientToServer, "b2"),
		act2,
		a(event.ClientToServer, "a2"),
		b(event.ServerToClient, "b3"),
	}
	got := ByConnection(log)
	var order []string
	for _, ev := range got {
		if ev.Text != "" {
			order = append(order, ev.Text)
		} else {
			order = append(order, ev.Code)
		}
	}
	assert.Equal(t, []string{"action.first", "action.second", "a1", "a2", "b1", "b2", "b3", "state.note"}, order)
	assert.Len(t, log, 8, "input untouched")
	assert.Equal(t, "b1", log[0].Text)
	assert.Empty(t, ByConnection(nil))
}
