package terminal

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/world"
)

func TestMXSessionDeliversToBob(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "mx.example.net", 25)
	tp.await(t, KindReceived, "220 ")
	say(t, s, tp, "EHLO terminal.test", "250 ")
	say(t, s, tp, "MAIL FROM:<carol@outside.test>", "250 ")
	say(t, s, tp, "RCPT TO:<bob@example.net>", "250 ")
	say(t, s, tp, "DATA", "354 ")
	for _, l := range []string{"From: Carol <carol@outside.test>", "To: bob@example.net",
		"Subject: Typed by hand", "", "Hello Bob, I typed this myself."} {
		require.NoError(t, s.Send(l), "Send(%q)", l)
	}
	say(t, s, tp, ".", "250 ")
	say(t, s, tp, "QUIT", "221 ")
	<-s.Done()

	inbox, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	require.Len(t, inbox, 1)
	assert.Contains(t, string(inbox[0].Raw), "Subject: Typed by hand")

	log := s.Log()
	assert.Equal(t, tp.all(), log, "onEntry saw the log, in order")
	for i, e := range log {
		assert.Equal(t, i, e.N, "entries are numbered")
		assert.False(t, e.Time.IsZero())
	}
	assert.Equal(t, KindInfo, log[0].Kind)
	assert.Equal(t, "terminal.info.connected", log[0].Key)
	last := log[len(log)-1]
	assert.Equal(t, KindClosed, last.Kind)
	assert.Equal(t, "terminal.closed.server", last.Key)
	assert.Empty(t, last.Text, "a note's words are the app layer's")

	evs := tapped(w, s)
	require.NotEmpty(t, evs, "the tap logged the terminal's connection")
	for _, ev := range evs {
		assert.Equal(t, netmap.External, ev.Client, "%s %q", ev.Kind, ev.Text)
		assert.Equal(t, "mx.example.net", ev.Server)
		assert.Equal(t, 25, ev.Port)
	}
	assert.Equal(t, entryTexts(log, KindSent), eventTexts(lines(evs, event.ClientToServer)),
		"the server read exactly what the terminal sent")
	assert.Equal(t, entryTexts(log, KindReceived), eventTexts(lines(evs, event.ServerToClient)),
		"the terminal read exactly what the server sent")
	assert.ErrorIs(t, s.Send("NOOP"), ErrClosed)
}

func TestSubmissionStartTLSThenAuth(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "smtp.example.net", 587)
	tp.await(t, KindReceived, "220 ")
	say(t, s, tp, "EHLO terminal.test", "250 ")
	require.NoError(t, s.Send("STARTTLS"))
	// Typed at once: it must wait for the 220 and the handshake.
	require.NoError(t, s.Send("EHLO terminal.test"))
	tp.await(t, KindReceived, "220 ")
	up := tp.await(t, KindTLS, "")
	assert.Equal(t, "terminal.tls.up", up.Key)
	assert.Equal(t, map[string]string{"version": "TLS 1.3", "cipher": up.Params["cipher"],
		"host": "smtp.example.net", "issuer": "Maillab teaching CA"}, up.Params)
	assert.NotEmpty(t, up.Params["cipher"])
	ehlo := tp.await(t, KindReceived, "250 ")
	auth := say(t, s, tp, "AUTH PLAIN "+plain("bob@example.net", "builder"), "235 ")
	say(t, s, tp, "QUIT", "221 ")
	<-s.Done()

	sent := map[string]bool{}
	for _, e := range s.Log() {
		if e.Kind == KindSent {
			sent[e.Text] = e.Credential
		}
	}
	assert.True(t, sent["AUTH PLAIN "+plain("bob@example.net", "builder")], "AUTH is a credential")
	assert.False(t, sent["EHLO terminal.test"])
	assert.Less(t, up.N, ehlo.N)
	assert.Less(t, ehlo.N, auth.N)

	evs := tapped(w, s)
	records, upgraded := 0, false
	var afterTLS []string
	for _, ev := range evs {
		if ev.Kind == event.KindTLS {
			records++
			upgraded = true
		}
		if ev.Kind != event.KindLine {
			continue
		}
		assert.Equal(t, upgraded, ev.Encrypted, "%s %q", ev.Dir, ev.Text)
		if upgraded {
			afterTLS = append(afterTLS, ev.Text)
		}
	}
	assert.Positive(t, records, "the tap saw the handshake")
	assert.Contains(t, afterTLS, "AUTH PLAIN "+plain("bob@example.net", "builder"))
	assert.NotContains(t, afterTLS, "STARTTLS")
	for _, ev := range lines(evs, event.ClientToServer) {
		if strings.HasPrefix(ev.Text, "AUTH ") {
			assert.True(t, ev.Credential, "the tap marks the same line")
		}
	}
}

func TestImplicitTLS(t *testing.T) {
	tests := []struct {
		host     string
		port     int
		greeting string
	}{
		{"smtp.example.net", 465, "220 "},
		{"mail.example.net", 995, "+OK"},
		{"mail.example.net", 993, "* OK"},
	}
	w := startWorld(t, world.Options{})
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			s, tp := open(t, w, tc.host, tc.port)
			up := tp.await(t, KindTLS, "")
			g := tp.await(t, KindReceived, tc.greeting)
			assert.Less(t, up.N, g.N, "TLS comes before the greeting")
			assert.Equal(t, tc.host, up.Params["host"])
			require.NoError(t, s.Close())
			evs := lines(tapped(w, s), event.ServerToClient)
			require.NotEmpty(t, evs)
			assert.True(t, evs[0].Encrypted, "the greeting went encrypted")
			last := s.Log()[len(s.Log())-1]
			assert.Equal(t, "terminal.closed.user", last.Key)
		})
	}
}

func TestPOP3STLS(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "mail.example.net", 110)
	tp.await(t, KindReceived, "+OK")
	say(t, s, tp, "STLS now", "-ERR") // refused: the connection stays plain
	say(t, s, tp, "CAPA", "+OK")
	tp.await(t, KindReceived, ".")
	say(t, s, tp, "STLS", "+OK")
	tp.await(t, KindTLS, "")
	say(t, s, tp, "USER bob@example.net", "+OK")
	say(t, s, tp, "PASS builder", "+OK")
	say(t, s, tp, "STAT", "+OK")
	say(t, s, tp, "QUIT", "+OK")
	<-s.Done()

	var tlsEntries int
	creds := map[string]bool{}
	for _, e := range s.Log() {
		if e.Kind == KindTLS {
			tlsEntries++
		}
		if e.Kind == KindSent {
			creds[e.Text] = e.Credential
		}
	}
	assert.Equal(t, 1, tlsEntries, "only the accepted STLS upgrades")
	assert.True(t, creds["PASS builder"])
	assert.False(t, creds["USER bob@example.net"])
	for _, ev := range lines(tapped(w, s), event.ClientToServer) {
		assert.Equal(t, ev.Text == "STAT" || ev.Text == "QUIT" || strings.HasPrefix(ev.Text, "USER") ||
			strings.HasPrefix(ev.Text, "PASS"), ev.Encrypted, ev.Text)
	}
}

func TestIMAPStartTLS(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "mail.example.net", 143)
	tp.await(t, KindReceived, "* OK")
	say(t, s, tp, "a STARTTLS", "a OK")
	tp.await(t, KindTLS, "")
	login := "b LOGIN bob@example.net builder"
	say(t, s, tp, login, "b OK")
	say(t, s, tp, "c SELECT INBOX", "c OK")
	say(t, s, tp, "d LOGOUT", "d OK")
	<-s.Done()
	for _, e := range s.Log() {
		if e.Kind == KindSent {
			assert.Equal(t, e.Text == login, e.Credential, e.Text)
		}
	}
}

func TestBadLinesAreRejected(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "mx.example.net", 25)
	tp.await(t, KindReceived, "220 ")
	tests := []struct {
		name string
		line string
		err  error
	}{
		{"CRLF inside", "NOOP\r\nQUIT", ErrLineBreak},
		{"bare LF", "NOOP\nQUIT", ErrLineBreak},
		{"bare CR", "NOOP\r", ErrLineBreak},
		{"too long", strings.Repeat("x", MaxSend+1), ErrTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, s.Send(tc.line), tc.err)
		})
	}
	assert.Empty(t, entryTexts(s.Log(), KindSent), "nothing was sent")
	say(t, s, tp, strings.Repeat("x", MaxSend), "500 ") // the longest allowed line goes out
}

func TestOpenErrors(t *testing.T) {
	w := startWorld(t, world.Options{})
	ctx := context.Background()
	tests := []struct {
		host string
		port int
	}{
		{"mx.example.net", 26},
		{"mail.example.net", 25},
		{"nowhere.example", 25},
		{"dns", 53},
	}
	for _, tc := range tests {
		_, err := Open(ctx, w, tc.host, tc.port, nil)
		assert.Error(t, err, "%s %d", tc.host, tc.port)
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	w := startWorld(t, world.Options{})
	s, tp := open(t, w, "mx.example.net", 25)
	tp.await(t, KindReceived, "220 ")
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	assert.True(t, s.Closed())
	assert.ErrorIs(t, s.Send("NOOP"), ErrClosed)
	var closed int
	for _, e := range s.Log() {
		if e.Kind == KindClosed {
			closed++
			assert.Equal(t, "terminal.closed.user", e.Key)
		}
	}
	assert.Equal(t, 1, closed)
}

// In step mode every line waits for the viewer; typed-ahead lines and a
// STARTTLS whose answer is held must simply wait, however long.
func TestStepModeWaits(t *testing.T) {
	w := startWorld(t, world.Options{Mode: conductor.Step})
	s, tp := open(t, w, "smtp.example.net", 587)
	sent := make(chan error, 1)
	go func() {
		for _, l := range []string{"EHLO terminal.test", "STARTTLS", "EHLO again.test", "QUIT"} {
			if err := s.Send(l); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	stop := make(chan struct{})
	stepped := make(chan struct{})
	go func() {
		defer close(stepped)
		for {
			select {
			case <-stop:
				return
			case <-s.Done():
				return
			default:
			}
			if !w.Conductor.Step() {
				time.Sleep(time.Millisecond) // polling the gate, not synchronising
			}
		}
	}()
	defer func() { close(stop); <-stepped }()
	tp.await(t, KindReceived, "220 ")
	tp.await(t, KindReceived, "250 ")
	tp.await(t, KindReceived, "220 ")
	tp.await(t, KindTLS, "")
	tp.await(t, KindReceived, "250 ")
	tp.await(t, KindReceived, "221 ")
	require.NoError(t, <-sent)
	<-s.Done()
	assert.Equal(t, "terminal.closed.server", s.Log()[len(s.Log())-1].Key)
}

func TestSessionEndsWhenTheWorldCloses(t *testing.T) {
	w := startWorld(t, world.Options{Mode: conductor.Step})
	s, _ := open(t, w, "mx.example.net", 25)
	require.NoError(t, s.Send("EHLO terminal.test")) // held at the gate
	require.NoError(t, w.Close())
	<-s.Done()
	assert.Equal(t, KindClosed, s.Log()[len(s.Log())-1].Kind)
}

// When every host shares 127.0.0.1 the tap tells the terminal from the
// built-in clients by the port it dialled from.
func TestExternalOnASharedAddress(t *testing.T) {
	w := startWorld(t, world.Options{SingleAddress: true})
	s, tp := open(t, w, "mx.example.net", 25)
	tp.await(t, KindReceived, "220 ")
	say(t, s, tp, "NOOP", "250 ")
	evs := lines(tapped(w, s), event.ClientToServer)
	require.Len(t, evs, 1)
	assert.Equal(t, netmap.External, evs[0].Client)
}
