//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/terminal"
)

// termEntries returns the terminal entries the hub pushed for id.
func (r *recorder) termEntries(id int) []terminal.Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []terminal.Entry
	for _, m := range r.msgs {
		if m.Name != EventTerminal {
			continue
		}
		for _, e := range m.Data.([]terminal.Entry) {
			if e.Term == id {
				out = append(out, e)
			}
		}
	}
	return out
}

// waitTerm waits until terminal id pushed an entry of kind starting with prefix.
func waitTerm(t *testing.T, rec *recorder, id int, kind, prefix string) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, e := range rec.termEntries(id) {
			if e.Kind == kind && strings.HasPrefix(e.Text, prefix) {
				return true
			}
		}
		return false
	}, 20*time.Second, time.Millisecond, "terminal %d: %s %q", id, kind, prefix)
}

func TestTerminalTargets(t *testing.T) {
	a, _ := newTestApp(t)
	before, err := a.TerminalTargets()
	require.NoError(t, err)
	require.Len(t, before, 14)
	assert.Equal(t, TerminalTarget{Host: "mx.example.net", Port: 25, Proto: "smtp", TLS: "starttls"}, before[0],
		"Bob's MX comes first")
	want := map[int]struct{ proto, tls string }{25: {"smtp", "starttls"}, 587: {"submission", "starttls"},
		465: {"submission", "implicit"}, 110: {"pop3", "starttls"}, 995: {"pop3", "implicit"},
		143: {"imap", "starttls"}, 993: {"imap", "implicit"}}
	for _, tg := range before {
		assert.Equal(t, want[tg.Port].proto, tg.Proto, "%s %d", tg.Host, tg.Port)
		assert.Equal(t, want[tg.Port].tls, tg.TLS, "%s %d", tg.Host, tg.Port)
		assert.Empty(t, tg.Addr, "no run, no address")
	}

	_, err = a.Start("live")
	require.NoError(t, err)
	after, err := a.TerminalTargets()
	require.NoError(t, err)
	require.Len(t, after, 14)
	for i, tg := range after {
		assert.NotEmpty(t, tg.Addr, "%s %d", tg.Host, tg.Port)
		tg.Addr = ""
		assert.Equal(t, before[i], tg)
	}
}

func TestTerminalOpenStartsTheLiveRun(t *testing.T) {
	a, rec := newTestApp(t)
	info, err := a.TerminalOpen("mx.example.net", 25)
	require.NoError(t, err, "TerminalOpen()")
	run, err := a.Run()
	require.NoError(t, err)
	assert.Equal(t, "live", run.Scenario)
	assert.Positive(t, info.ID)
	assert.Equal(t, "mx.example.net", info.Target.Host)
	assert.NotEmpty(t, info.Target.Addr)
	assert.NotEmpty(t, info.ClientAddr)

	waitTerm(t, rec, info.ID, terminal.KindReceived, "220 ")
	require.NoError(t, a.TerminalSend(info.ID, "EHLO terminal.test"))
	waitTerm(t, rec, info.ID, terminal.KindReceived, "250 ")
	require.NoError(t, a.TerminalSend(info.ID, "QUIT"))
	waitTerm(t, rec, info.ID, terminal.KindClosed, "")

	log, err := a.TerminalLog(info.ID)
	require.NoError(t, err)
	assert.Equal(t, rec.termEntries(info.ID), log, "pushes and the log agree")
	for i, e := range log {
		assert.Equal(t, info.ID, e.Term)
		assert.Equal(t, i, e.N)
	}

	wire := 0
	for _, e := range log {
		if e.Kind == terminal.KindSent || e.Kind == terminal.KindReceived {
			wire++
		}
	}
	var clients []string
	require.Eventually(t, func() bool {
		clients = nil
		for _, ev := range rec.lines() {
			if ev.Kind == event.KindLine && ev.ClientAddr == info.ClientAddr {
				clients = append(clients, ev.Client)
			}
		}
		return len(clients) == wire
	}, 20*time.Second, time.Millisecond, "the tap's lines reach the UI as usual")
	for _, c := range clients {
		assert.Equal(t, netmap.External, c)
	}

	err = a.TerminalSend(info.ID, "NOOP")
	assert.EqualError(t, err, "terminal 1 is closed")
	assert.NoError(t, a.TerminalClose(info.ID), "closing a closed terminal")
}

func TestTerminalErrors(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.TerminalOpen("mail.example.net", 25)
	assert.EqualError(t, err, "no such server: mail.example.net port 25")
	_, err = a.TerminalOpen("mx.example.net", 2525)
	assert.EqualError(t, err, "no such server: mx.example.net port 2525")
	assert.EqualError(t, a.TerminalSend(7, "NOOP"), "no terminal 7 in this run")
	assert.EqualError(t, a.TerminalClose(7), "no terminal 7 in this run")
	_, err = a.TerminalLog(7)
	assert.EqualError(t, err, "no terminal 7 in this run")

	info, err := a.TerminalOpen("smtp.example.org", 587)
	require.NoError(t, err)
	assert.ErrorIs(t, a.TerminalSend(info.ID, "a\r\nb"), terminal.ErrLineBreak)
}

func TestTerminalsCloseWithTheRun(t *testing.T) {
	a, rec := newTestApp(t)
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	info, err := a.TerminalOpen("mail.example.org", 993)
	require.NoError(t, err, "a terminal works in a scripted run too")
	waitTerm(t, rec, info.ID, terminal.KindTLS, "")

	_, err = a.Reset()
	require.NoError(t, err)
	entries := rec.termEntries(info.ID)
	require.NotEmpty(t, entries)
	assert.Equal(t, terminal.KindClosed, entries[len(entries)-1].Kind, "the reset closed the terminal")
	_, err = a.TerminalLog(info.ID)
	assert.Error(t, err, "the new run has no terminals")

	second, err := a.TerminalOpen("mail.example.org", 993)
	require.NoError(t, err)
	assert.Greater(t, second.ID, info.ID, "ids are never reused")
}

func TestTerminalOverHTTP(t *testing.T) {
	_, srv := newServer(t)
	status, _ := post(t, srv, "terminalTargets", "")
	assert.Equal(t, 200, status, "viewers may list the targets")
	status, _ = post(t, srv, "terminalOpen", "", "mx.example.net", 25)
	assert.Equal(t, 403, status, "viewers may not open a terminal")
	status, out := post(t, srv, "terminalOpen", "secret", "mx.example.net", 25)
	require.Equal(t, 200, status, "%s", out["error"])
	var info TerminalInfo
	require.NoError(t, json.Unmarshal(out["result"], &info))
	assert.Equal(t, 25, info.Target.Port)

	status, _ = post(t, srv, "terminalSend", "", info.ID, "NOOP")
	assert.Equal(t, 403, status, "viewers may not type")
	status, out = post(t, srv, "terminalSend", "secret", info.ID, "NOOP")
	assert.Equal(t, 200, status, "%s", out["error"])
	status, out = post(t, srv, "terminalSend", "secret", info.ID)
	assert.Equal(t, 422, status, "a missing line")
	assert.Contains(t, string(out["error"]), "missing argument 2")

	status, out = post(t, srv, "terminalLog", "", info.ID)
	require.Equal(t, 200, status, "viewers may read the log")
	var log []terminal.Entry
	require.NoError(t, json.Unmarshal(out["result"], &log))
	require.NotEmpty(t, log)
	assert.Equal(t, info.ID, log[0].Term)

	status, _ = post(t, srv, "terminalClose", "", info.ID)
	assert.Equal(t, 403, status)
	status, _ = post(t, srv, "terminalClose", "secret", info.ID)
	assert.Equal(t, 200, status)
}

// The terminal's notes carry keys; this layer words them, in every language.
func TestTerminalNotesAreWorded(t *testing.T) {
	for _, key := range terminal.NoteKeys {
		e := worded(terminal.Entry{Kind: terminal.KindInfo, Key: key}, 3)
		assert.Equal(t, 3, e.Term)
		assert.NotEqual(t, key, e.Text, "%s has an English text", key)
		for _, lang := range []string{"de", "pl"} {
			assert.NotEqual(t, key, i18n.T(lang, key, nil), "%s in %s", key, lang)
		}
	}
	line := worded(terminal.Entry{Kind: terminal.KindReceived, Text: "220 hi"}, 1)
	assert.Equal(t, "220 hi", line.Text, "lines keep their text")
}
