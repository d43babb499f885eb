package mx_test

import (
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mda"
	"maillab/simulator/mx"
	"maillab/simulator/pki"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

// store has bob and carol; carol's mailbox fails.
type store struct {
	mu  sync.Mutex
	got map[string][]string
}

func (s *store) HasUser(addr string) bool {
	return addr == "bob@example.net" || addr == "carol@example.net"
}

func (s *store) Users() []string { return []string{"bob@example.net", "carol@example.net"} }

func (s *store) Deliver(addr, mailbox string, raw []byte, _ []string, _ time.Time) error {
	if addr == "carol@example.net" {
		return errors.New("disk full")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[addr] = append(s.got[addr], string(raw))
	return nil
}

func (s *store) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.got["bob@example.net"])
}

type world struct {
	st   *store
	ca   *pki.CA
	addr string
	srv  *mx.Server
}

// start runs an MDA and an MX that hands over to it by LMTP; lmtpAddr
// overrides the MDA's address (to test it being down).
func start(t *testing.T, lmtpAddr string, mods ...func(*mx.Options)) *world {
	t.Helper()
	w := &world{st: &store{got: map[string][]string{}}}
	d, err := mda.New(mda.Options{Hostname: "mail.example.net", Store: w.st})
	require.NoError(t, err, "mda.New()")
	t.Cleanup(func() { d.Close() })
	ll := mailtest.Listen(t)
	go d.Serve(ll)
	if lmtpAddr == "" {
		lmtpAddr = ll.Addr().String()
	}
	w.ca, err = pki.NewCA()
	require.NoError(t, err)
	cfg, err := w.ca.ServerConfig("mx.example.net")
	require.NoError(t, err)
	var dialer net.Dialer
	opts := mx.Options{Hostname: "mx.example.net", Domain: "example.net", Users: w.st,
		LMTPAddr: lmtpAddr, Dial: dialer.DialContext, TLSConfig: cfg, MaxMessageBytes: 2000,
		Now: func() time.Time { return now }}
	for _, mod := range mods {
		mod(&opts)
	}
	w.srv, err = mx.New(opts)
	require.NoError(t, err, "mx.New()")
	t.Cleanup(func() { w.srv.Close() })
	l := mailtest.Listen(t)
	w.addr = l.Addr().String()
	go w.srv.Serve(l)
	return w
}

func (w *world) session(t *testing.T) *mailtest.Raw {
	r, greet := mailtest.Dial(t, w.addr)
	require.Equal(t, "220 mx.example.net ESMTP Service Ready", greet)
	require.True(t, strings.HasPrefix(r.Cmd("EHLO smtp.example.org"), "250 "))
	return r
}

func TestEHLO(t *testing.T) {
	w := start(t, "")
	r, _ := mailtest.Dial(t, w.addr)
	ehlo := r.Cmd("EHLO smtp.example.org")
	assert.Contains(t, ehlo, "STARTTLS")
	assert.Contains(t, ehlo, "SIZE 2000")
	assert.NotContains(t, ehlo, "AUTH")
	r.StartTLS(w.ca.ClientConfig("mx.example.net"))
	assert.NotContains(t, r.Cmd("EHLO smtp.example.org"), "AUTH", "no AUTH on port 25, even under TLS")
}

func TestRefusals(t *testing.T) {
	w := start(t, "")
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"relay denied", []string{"MAIL FROM:<alice@example.org>", "RCPT TO:<eve@example.com>"},
			"550 5.7.1 <eve@example.com>: Relay access denied"},
		{"relay to the sender's own domain", []string{"MAIL FROM:<alice@example.org>", "RCPT TO:<alice@example.org>"},
			"550 5.7.1 <alice@example.org>: Relay access denied"},
		{"unknown user", []string{"MAIL FROM:<alice@example.org>", "RCPT TO:<bob2@example.net>"},
			"550 5.1.1 <bob2@example.net>: Recipient address rejected: User unknown"},
		{"no domain", []string{"MAIL FROM:<alice@example.org>", "RCPT TO:<bob>"},
			"501 5.5.2 Was expecting RCPT arg syntax of TO:<address>"}, // go-smtp's own check
		{"SIZE over the limit", []string{"MAIL FROM:<alice@example.org> SIZE=5000"},
			"552 5.3.4 Max message size exceeded"},
		{"AUTH", []string{"AUTH PLAIN AGFsaWNlAHg="}, "503 5.5.1 Error: authentication not enabled"},
		{"DATA without RCPT", []string{"MAIL FROM:<alice@example.org>", "DATA"}, "503 5.5.1 Missing RCPT TO command."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.session(t)
			var got string
			for _, l := range tc.lines {
				got = r.Cmd(l)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDeliveryThroughLMTP(t *testing.T) {
	w := start(t, "")
	conn, err := net.Dial("tcp", w.addr)
	require.NoError(t, err)
	c, err := smtp.NewClientStartTLS(conn, w.ca.ClientConfig("mx.example.net"))
	require.NoError(t, err, "NewClientStartTLS()")
	defer c.Close()
	require.NoError(t, c.SendMail("alice@example.org", []string{"bob@example.net"},
		strings.NewReader("Subject: hi\r\n\r\nHello Bob\r\n")), "SendMail()")
	require.NoError(t, c.Quit())

	require.Equal(t, 1, w.st.count())
	got := w.st.got["bob@example.net"][0]
	assert.True(t, strings.HasPrefix(got, "Return-Path: <alice@example.org>\r\n"+
		"Delivered-To: bob@example.net\r\n"+
		"Received: from localhost ([127.0.0.1])\r\n\t(using TLSv1.3 with cipher TLS_"), got)
	assert.Contains(t, got, "\tby mx.example.net (Maillab) with ESMTPS\r\n\tfor <bob@example.net>; "+
		"Mon, 02 Jun 2025 10:00:00 +0000\r\nSubject: hi\r\n\r\nHello Bob\r\n")
}

func TestDataReplies(t *testing.T) {
	w := start(t, "")
	tests := []struct {
		name string
		to   []string
		body string
		want string
	}{
		{"delivered", []string{"bob@example.net"}, "Subject: x\r\n\r\nx\r\n.",
			"250 2.0.0 Ok: delivered to the mailbox"},
		{"grows over SIZE during DATA", []string{"bob@example.net"}, strings.Repeat("0123456789\r\n", 200) + ".",
			"552 5.3.4 Message size exceeds fixed limit"},
		{"the only mailbox fails", []string{"carol@example.net"}, "x\r\n.",
			"451 4.3.0 <carol@example.net> Temporary mailbox error, try again later"}, // the MDA's reply, passed on
		{"one of two mailboxes fails", []string{"bob@example.net", "carol@example.net"}, "x\r\n.",
			"451 4.3.0 Error: delivery failed for some recipients, try again later"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.session(t)
			r.Cmd("MAIL FROM:<alice@example.org>")
			for _, to := range tc.to {
				require.True(t, strings.HasPrefix(r.Cmd("RCPT TO:<"+to+">"), "250 "))
			}
			require.True(t, strings.HasPrefix(r.Cmd("DATA"), "354 "))
			assert.Equal(t, tc.want, r.Cmd(tc.body))
			assert.Equal(t, "250 2.0.0 Ok", r.Cmd("NOOP"), "session goes on")
		})
	}
	assert.Equal(t, 2, w.st.count(), "the first case and the partial one (which the sender will retry)")
}

func TestMDADown(t *testing.T) {
	l := mailtest.Listen(t)
	closed := l.Addr().String()
	l.Close()
	w := start(t, closed)
	r := w.session(t)
	for _, l := range []string{"MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	assert.Equal(t, "451 4.3.0 Error: local delivery failed, try again later", r.Cmd("x\r\n."))
}

func TestNullSenderAccepted(t *testing.T) {
	w := start(t, "")
	r := w.session(t)
	for _, l := range []string{"MAIL FROM:<>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	assert.Equal(t, "250 2.0.0 Ok: delivered to the mailbox", r.Cmd("Subject: bounce\r\n\r\nx\r\n."))
	assert.True(t, strings.HasPrefix(w.st.got["bob@example.net"][0], "Return-Path: <>\r\n"))
}

// Every domain must accept its postmaster, case-insensitively, also as a
// bare "Postmaster" (RFC 5321 §4.1.1.3, §4.5.1); with no account of that
// name the MDA delivers to the provider's first account.
func TestPostmasterAccepted(t *testing.T) {
	for _, to := range []string{"Postmaster", "postmaster@example.net", "POSTMASTER@Example.NET"} {
		t.Run(to, func(t *testing.T) {
			w := start(t, "")
			r := w.session(t)
			require.True(t, strings.HasPrefix(r.Cmd("MAIL FROM:<alice@example.org>"), "250 "))
			assert.True(t, strings.HasPrefix(r.Cmd("RCPT TO:<"+to+">"), "250 "), to)
			require.True(t, strings.HasPrefix(r.Cmd("DATA"), "354 "))
			got := r.Cmd("Subject: abuse report\r\n\r\nHello postmaster\r\n.")
			assert.True(t, strings.HasPrefix(got, "250 "), got)
			require.Equal(t, 1, w.st.count())
			assert.Len(t, w.st.got["bob@example.net"], 1, "the postmaster's mail is in the first account's mailbox")
		})
	}
	w := start(t, "")
	r := w.session(t)
	require.True(t, strings.HasPrefix(r.Cmd("MAIL FROM:<alice@example.org>"), "250 "))
	assert.Equal(t, "550 5.7.1 <postmaster@example.com>: Relay access denied", r.Cmd("RCPT TO:<postmaster@example.com>"),
		"another domain's postmaster is still another domain")
}
