package world

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/netmap"
)

// dialAt connects from the loopback address src (127.0.0.1, 127.0.0.2,
// …: all of 127/8 is loopback on Linux) without reading the greeting.
func dialAt(t *testing.T, w *World, host string, svc netmap.Service, src string) *rawLine {
	t.Helper()
	addr, ok := w.Dir.Addr(host, svc.Port)
	require.True(t, ok, host)
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	return &rawLine{t: t, c: c, r: bufio.NewReader(c)}
}

// dialTLSAt is dialAt with implicit TLS, trusting the run's CA.
func dialTLSAt(t *testing.T, w *World, host string, svc netmap.Service, src string) *rawLine {
	t.Helper()
	raw := dialAt(t, w, host, svc, src)
	c := tls.Client(raw.c, w.CA.ClientConfig(host))
	require.NoError(t, c.Handshake())
	return &rawLine{t: t, c: c, r: bufio.NewReader(c)}
}

// closed asserts the server hangs up: the read ends in EOF within 2 s
// (a bound on correctness, not a measure of speed).
func (r *rawLine) closed(msg string) {
	r.t.Helper()
	r.c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err := r.r.ReadString('\n')
	assert.ErrorIs(r.t, err, io.EOF, msg)
}

type service struct {
	host  string
	svc   netmap.Service
	greet string // the greeting's start
}

var (
	submission = service{"smtp.example.net", netmap.Submission, "220 smtp.example.net "}
	mxPort     = service{"mx.example.net", netmap.SMTP, "220 mx.example.net "}
	pop3Port   = service{"mail.example.net", netmap.POP3, "+OK mail.example.net "}
	imapPort   = service{"mail.example.net", netmap.IMAP, "* OK [CAPABILITY "}
)

// One address that floods a server takes its share and no more: a client
// from another address is still greeted (Postfix's
// smtpd_client_connection_count_limit, Dovecot's per-address limit).
func TestOneAddressCannotLockOutAnother(t *testing.T) {
	w := start(t, Options{MaxConnsPerAddr: 3})
	cases := []struct {
		name    string
		s       service
		refusal string
	}{
		{"submission", submission, "421 4.7.0 smtp.example.net Error: too many connections from 127.0.0.1"},
		{"mx", mxPort, "421 4.7.0 mx.example.net Error: too many connections from 127.0.0.1"},
		{"pop3", pop3Port, "-ERR [SYS/TEMP] too many connections from your address"},
		{"imap", imapPort, "* BYE [UNAVAILABLE] Too many connections from your address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i := range 3 {
				r := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.1")
				assert.True(t, strings.HasPrefix(r.read(), tc.s.greet), "flood connection %d is served", i+1)
			}
			over := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.1")
			assert.Equal(t, tc.refusal, over.read())
			over.closed("closed after the refusal")

			other := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.2")
			assert.True(t, strings.HasPrefix(other.read(), tc.s.greet), "another address is greeted")
		})
	}
}

// 587 and 465 (110 and 995, 143 and 993) share one server's caps. Over
// the cap a client that never starts TLS is closed at once, and one that
// does reads the refusal.
func TestOverCapOnImplicitTLSIsClosed(t *testing.T) {
	w := start(t, Options{MaxConnsPerAddr: 2})
	cases := []struct {
		name     string
		plain    service
		implicit netmap.Service
		refusal  string
	}{
		{"submissions", submission, netmap.Submissions, "421 4.7.0 smtp.example.net Error: too many connections from 127.0.0.1"},
		{"pop3s", pop3Port, netmap.POP3S, "-ERR [SYS/TEMP] too many connections from your address"},
		{"imaps", imapPort, netmap.IMAPS, "* BYE [UNAVAILABLE] Too many connections from your address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 {
				dialAt(t, w, tc.plain.host, tc.plain.svc, "127.0.0.1").read()
			}
			silent := dialAt(t, w, tc.plain.host, tc.implicit, "127.0.0.1")
			silent.closed("a silent client over the cap is closed without waiting for TLS")

			r := dialTLSAt(t, w, tc.plain.host, tc.implicit, "127.0.0.1")
			assert.Equal(t, tc.refusal, r.read())
			r.closed("closed after the refusal")

			other := dialTLSAt(t, w, tc.plain.host, tc.implicit, "127.0.0.2")
			assert.True(t, strings.HasPrefix(other.read(), tc.plain.greet), "another address is greeted")
		})
	}
}

// A client that says nothing before login is sent away with the
// protocol's goodbye; port 25, where nobody logs in, uses the session
// timeout.
func TestIdleBeforeLoginCloses(t *testing.T) {
	w := start(t, Options{LoginTimeout: 200 * time.Millisecond, SessionTimeout: 200 * time.Millisecond})
	cases := []struct {
		name string
		s    service
		bye  string
	}{
		{"submission", submission, "421 4.4.2 smtp.example.net Error: timeout exceeded"},
		{"mx", mxPort, "421 4.4.2 mx.example.net Error: timeout exceeded"},
		{"pop3", pop3Port, "-ERR Disconnected for inactivity."},
		{"imap", imapPort, "* BYE Disconnected for inactivity."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.1")
			assert.True(t, strings.HasPrefix(r.read(), tc.s.greet))
			assert.Equal(t, tc.bye, r.read())
			r.closed("closed after the goodbye")
		})
	}
}

// After login the long timeout holds: a session idle for longer than the
// login timeout goes on.
func TestIdleAfterLoginLasts(t *testing.T) {
	w := start(t, Options{LoginTimeout: 200 * time.Millisecond, InsecureAuth: []string{"example.net"}})
	smtpOne := func(l string) bool { return len(l) >= 4 && l[3] == ' ' }
	cases := []struct {
		name         string
		s            service
		login        string // pipelined with the greeting: no race with the short timer
		replies      int
		noop, wantOK string
		done         func(string) bool
	}{
		{"submission", submission, "EHLO me\r\nAUTH PLAIN AGJvYkBleGFtcGxlLm5ldABidWlsZGVy\r\n", 2, "NOOP", "250 2.0.0 Ok", smtpOne},
		{"pop3", pop3Port, "USER bob@example.net\r\nPASS builder\r\n", 2, "NOOP", "+OK", pop3One},
		{"imap", imapPort, "a LOGIN bob@example.net builder\r\n", 1, "a NOOP", "a OK NOOP completed", tagged},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.1")
			_, err := io.WriteString(r.c, tc.login)
			require.NoError(t, err)
			r.read() // greeting
			for range tc.replies {
				var last string
				for last == "" || !tc.done(last) {
					last = r.read()
				}
			}
			time.Sleep(500 * time.Millisecond) // over the login timeout
			got := r.send(tc.noop, tc.done)
			assert.Equal(t, tc.wantOK, got[len(got)-1])
		})
	}
}

// Under stress (over 80% of a server's connections taken) a client that
// has not logged in gets the short stress timeout.
func TestStressShortensTheLoginTimeout(t *testing.T) {
	w := start(t, Options{MaxConns: 5, StressTimeout: 200 * time.Millisecond})
	cases := []struct {
		name string
		s    service
		bye  string
	}{
		{"submission", submission, "421 4.4.2 smtp.example.net Error: timeout exceeded"},
		{"pop3", pop3Port, "-ERR Disconnected for inactivity."},
		{"imap", imapPort, "* BYE Disconnected for inactivity."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var conns []*rawLine
			for range 4 { // 80%: not yet stress, their timers are a minute
				r := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.1")
				r.read()
				conns = append(conns, r)
			}
			fifth := dialAt(t, w, tc.s.host, tc.s.svc, "127.0.0.2")
			assert.True(t, strings.HasPrefix(fifth.read(), tc.s.greet))
			assert.Equal(t, tc.bye, fifth.read(), "under stress")
			fifth.closed("closed after the goodbye")
			for _, c := range conns {
				c.c.Close()
			}
		})
	}
}

// Wrong passwords count per address across connections: reconnecting
// gives no fresh budget. After ten failures the address is refused for a
// while, whatever the password, and another address is not.
func TestAuthFailuresAcrossReconnects(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.net"}, AuthFailureDelay: -1})
	smtpOne := func(l string) bool { return len(l) >= 4 && l[3] == ' ' }
	const (
		smtpWrong = "AUTH PLAIN AGJvYkBleGFtcGxlLm5ldAB3cm9uZw==" // \0bob@example.net\0wrong
		smtpRight = "AUTH PLAIN AGJvYkBleGFtcGxlLm5ldABidWlsZGVy" // \0bob@example.net\0builder
	)
	cases := []struct {
		name          string
		s             service
		guesser, user string
		hello         string // sent after the greeting, before a login
		wrong, right  []string
		done          func(string) bool
		locked, ok    string
	}{
		{"submission", submission, "127.0.0.11", "127.0.0.21", "EHLO me",
			[]string{smtpWrong}, []string{smtpRight}, smtpOne,
			"450 4.7.1 Error: too many AUTH commands from 127.0.0.11", "235 2.0.0 Authentication succeeded"},
		{"pop3", pop3Port, "127.0.0.12", "127.0.0.22", "",
			[]string{"USER bob@example.net", "PASS wrong"}, []string{"USER bob@example.net", "PASS builder"}, pop3One,
			"-ERR [SYS/TEMP] too many authentication failures from your address, try again later", "+OK bob@example.net's maildrop"},
		{"imap", imapPort, "127.0.0.13", "127.0.0.23", "",
			[]string{"a LOGIN bob@example.net wrong"}, []string{"a LOGIN bob@example.net builder"},
			func(l string) bool { return tagged(l) || strings.HasPrefix(l, "* BYE") }, // the third: BYE
			"a NO [UNAVAILABLE] Too many authentication failures from your address, try again later", "a OK"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			connect := func(src string) *rawLine {
				r := dialAt(t, w, tc.s.host, tc.s.svc, src)
				r.read()
				if tc.hello != "" {
					r.send(tc.hello, tc.done)
				}
				return r
			}
			try := func(r *rawLine, lines []string) string {
				var got []string
				for _, l := range lines {
					got = r.send(l, tc.done)
				}
				return got[len(got)-1]
			}
			for failures := 0; failures < 10; {
				r := connect(tc.guesser)
				for i := 0; i < 3 && failures < 10; i++ {
					got := try(r, tc.wrong)
					assert.NotContains(t, got, "too many authentication failures from", "failure %d", failures+1)
					failures++
				}
				r.c.Close()
			}
			r := connect(tc.guesser)
			assert.Equal(t, tc.locked, try(r, tc.right), "a new connection gets no fresh budget")

			other := connect(tc.user)
			assert.True(t, strings.HasPrefix(try(other, tc.right), tc.ok), "another address logs in")
		})
	}
}
