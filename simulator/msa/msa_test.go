package msa_test

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/mail"
	"maillab/simulator/mail/mailtest"
	"maillab/simulator/msa"
	"maillab/simulator/pki"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var now = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

type queue struct {
	mu   sync.Mutex
	envs []mail.Envelope
	raws [][]byte
}

func (q *queue) Enqueue(env mail.Envelope, raw []byte) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.envs, q.raws = append(q.envs, env), append(q.raws, raw)
	return "4F2A1C3B9E", nil
}

func (q *queue) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.envs)
}

type world struct {
	srv   *msa.Server
	q     *queue
	ca    *pki.CA
	addr  string // port 587 style
	tlsAd string // port 465 style
}

func start(t *testing.T, tweak func(*msa.Options)) *world {
	t.Helper()
	ca, err := pki.NewCA()
	require.NoError(t, err, "NewCA()")
	cfg, err := ca.ServerConfig("smtp.example.org")
	require.NoError(t, err, "ServerConfig()")
	w := &world{q: &queue{}, ca: ca}
	opts := msa.Options{
		Hostname: "smtp.example.org", Domain: "example.org", TLSConfig: cfg, Queue: w.q,
		Now: func() time.Time { return now },
		Auth: func(user, pass string) error {
			if user == "alice@example.org" && pass == "wonderland" {
				return nil
			}
			return errors.New("bad password")
		},
	}
	if tweak != nil {
		tweak(&opts)
	}
	w.srv, err = msa.New(opts)
	require.NoError(t, err, "New()")
	t.Cleanup(func() { w.srv.Close() })
	l, lt := mailtest.Listen(t), mailtest.Listen(t)
	w.addr, w.tlsAd = l.Addr().String(), lt.Addr().String()
	go w.srv.Serve(l)
	go w.srv.Serve(tls.NewListener(lt, cfg))
	return w
}

func (w *world) clientTLS() *tls.Config { return w.ca.ClientConfig("smtp.example.org") }

// session returns a raw session after EHLO, with STARTTLS when secure.
func (w *world) session(t *testing.T, secure bool) *mailtest.Raw {
	r, greet := mailtest.Dial(t, w.addr)
	require.Equal(t, "220 smtp.example.org ESMTP Service Ready", greet)
	require.True(t, strings.HasPrefix(r.Cmd("EHLO laptop.example.org"), "250 "))
	if secure {
		r.StartTLS(w.clientTLS())
		require.True(t, strings.HasPrefix(r.Cmd("EHLO laptop.example.org"), "250 "))
	}
	return r
}

func plain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}

func TestEHLOOffersAuthOnlyUnderTLS(t *testing.T) {
	w := start(t, nil)
	r, _ := mailtest.Dial(t, w.addr)
	ehlo := r.Cmd("EHLO laptop.example.org")
	assert.Contains(t, ehlo, "STARTTLS")
	assert.NotContains(t, ehlo, "AUTH")
	assert.Contains(t, ehlo, "SIZE 10485760")
	r.StartTLS(w.clientTLS())
	ehlo = r.Cmd("EHLO laptop.example.org")
	assert.NotContains(t, ehlo, "STARTTLS")
	assert.Contains(t, ehlo, "AUTH PLAIN LOGIN")

	s, _ := mailtest.DialTLS(t, w.tlsAd, w.clientTLS())
	ehlo = s.Cmd("EHLO laptop.example.org")
	assert.NotContains(t, ehlo, "STARTTLS", "port 465 is already TLS")
	assert.Contains(t, ehlo, "AUTH PLAIN LOGIN")
}

func TestRefusals(t *testing.T) {
	w := start(t, nil)
	tests := []struct {
		name   string
		secure bool
		lines  []string
		want   string
	}{
		{"MAIL before STARTTLS", false, []string{"MAIL FROM:<alice@example.org>"},
			"530 5.7.0 Must issue a STARTTLS command first"},
		{"AUTH before STARTTLS", false, []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland")},
			"530 5.7.0 Must issue a STARTTLS command first"},
		{"MAIL before AUTH", true, []string{"MAIL FROM:<alice@example.org>"},
			"530 5.7.0 Authentication required"},
		{"wrong password", true, []string{"AUTH PLAIN " + plain("alice@example.org", "queen")},
			"535 5.7.8 Authentication failed"},
		{"unknown mechanism", true, []string{"AUTH CRAM-MD5"},
			"504 5.7.4 Unsupported authentication mechanism"},
		{"broken PLAIN", true, []string{"AUTH PLAIN " + base64.StdEncoding.EncodeToString([]byte("nonsense"))},
			"501 5.5.2 Invalid authentication response"},
		{"someone else's address", true, []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
			"MAIL FROM:<bob@example.net>"},
			"553 5.7.1 <bob@example.net>: Sender address rejected: not owned by user alice@example.org"},
		{"null sender", true, []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
			"MAIL FROM:<>"},
			"553 5.7.1 <>: Sender address rejected: not owned by user alice@example.org"},
		{"garbage", true, []string{"\x01\x02\xff\xfe binary"},
			"500 5.5.2 Syntax errors, \x01\x02\uFFFD\uFFFD command unrecognized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.session(t, tc.secure)
			var got string
			for _, l := range tc.lines {
				got = r.Cmd(l)
			}
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Zero(t, w.q.count())
}

func TestSubmitWithGoSMTP(t *testing.T) {
	w := start(t, nil)
	for _, auth := range []sasl.Client{
		sasl.NewPlainClient("", "alice@example.org", "wonderland"),
		sasl.NewLoginClient("alice@example.org", "wonderland"),
	} {
		conn, err := net.Dial("tcp", w.addr)
		require.NoError(t, err, "Dial()")
		c, err := smtp.NewClientStartTLS(conn, w.clientTLS())
		require.NoError(t, err, "NewClientStartTLS()")
		require.NoError(t, c.Auth(auth), "Auth()")
		require.NoError(t, c.SendMail("alice@example.org", []string{"bob@example.net"},
			strings.NewReader("Subject: hi\r\n\r\nHello Bob\r\n")), "SendMail()")
		require.NoError(t, c.Quit(), "Quit()")
	}
	require.Equal(t, 2, w.q.count())
	assert.Equal(t, []string{"bob@example.net"}, w.q.envs[0].To)
	assert.Equal(t, "alice@example.org", w.q.envs[0].Auth)
	assert.Equal(t, len(w.q.raws[0]), w.q.envs[0].Size)
}

func TestInsecureAuthLesson(t *testing.T) {
	w := start(t, func(o *msa.Options) { o.AllowInsecureAuth = true })
	r := w.session(t, false)
	assert.Equal(t, "334 VXNlcm5hbWU6", r.Cmd("AUTH LOGIN"), "Username:")
	assert.Equal(t, "334 UGFzc3dvcmQ6", r.Cmd(base64.StdEncoding.EncodeToString([]byte("alice@example.org"))))
	assert.Equal(t, "235 2.0.0 Authentication succeeded",
		r.Cmd(base64.StdEncoding.EncodeToString([]byte("wonderland"))))
}

func TestTranscriptAndHeaders(t *testing.T) {
	w := start(t, nil)
	r := w.session(t, true)
	for _, step := range [][2]string{
		{"AUTH PLAIN " + plain("alice@example.org", "wonderland"), "235 2.0.0 Authentication succeeded"},
		{"MAIL FROM:<alice@example.org>", "250 2.1.0 Sender <alice@example.org> OK"},
		{"RCPT TO:<bob@example.net>", "250 2.1.5 Recipient <bob@example.net> OK"},
		{"DATA", "354 Go ahead. End your data with <CR><LF>.<CR><LF>"},
		{"Subject: hi\r\n\r\nHello Bob\r\n.", "250 2.6.0 Ok: queued as 4F2A1C3B9E"},
		{"QUIT", "221 2.0.0 Bye"},
	} {
		assert.Equal(t, step[1], r.Cmd(step[0]), step[0])
	}
	require.Equal(t, 1, w.q.count())
	raw := string(w.q.raws[0])
	want := "Received: from laptop.example.org ([127.0.0.1])\r\n" +
		"\t(using TLSv1.3 with cipher TLS_"
	assert.True(t, strings.HasPrefix(raw, want), raw)
	assert.Contains(t, raw, "\tby smtp.example.org (Maillab) with ESMTPSA\r\n"+
		"\tfor <bob@example.net>; Mon, 02 Jun 2025 10:00:00 +0000\r\n")
	assert.Regexp(t, `\r\nMessage-ID: <[0-9A-F]+\.[0-9a-f]{12}@smtp\.example\.org>\r\n`, raw)
	assert.Contains(t, raw, "\r\nDate: Mon, 02 Jun 2025 10:00:00 +0000\r\nSubject: hi\r\n\r\nHello Bob\r\n")
}

func TestKeepsClientHeaders(t *testing.T) {
	w := start(t, nil)
	s, _ := mailtest.DialTLS(t, w.tlsAd, w.clientTLS())
	s.Cmd("EHLO laptop.example.org")
	for _, l := range []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
		"MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "RCPT TO:<carol@example.org>", "DATA"} {
		s.Cmd(l)
	}
	msg := "Message-ID: <1@laptop>\r\nDate: Sun, 01 Jun 2025 09:00:00 +0000\r\n\r\nHi\r\n."
	require.Equal(t, "250 2.6.0 Ok: queued as 4F2A1C3B9E", s.Cmd(msg))
	raw := string(w.q.raws[0])
	assert.Equal(t, 1, strings.Count(raw, "Message-ID:"))
	assert.Equal(t, 1, strings.Count(raw, "Date:"))
	assert.Contains(t, raw, "with ESMTPSA; Mon", "no 'for' with two recipients: it would reveal Bcc")
}

func TestOverLongLineAndGarbage(t *testing.T) {
	w := start(t, nil)
	r := w.session(t, false)
	assert.Equal(t, "500 5.4.0 Too long line, closing connection", r.Cmd("NOOP "+strings.Repeat("x", 1100)))
	assert.Equal(t, "EOF", r.Read())

	g := w.session(t, false)
	for i := 0; i < 4; i++ {
		assert.Equal(t, "500 5.5.2 Syntax error, command unrecognized", g.Cmd("\xff"))
	}
	assert.Equal(t, "500 5.5.1 Too many errors. Quiting now", g.Read())
	assert.Equal(t, "EOF", g.Read())

	ok := w.session(t, true) // the server is still up
	assert.Equal(t, "250 2.0.0 Ok", ok.Cmd("NOOP"))
}

func TestLongLineInData(t *testing.T) {
	w := start(t, nil)
	r := w.session(t, true)
	for _, l := range []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
		"MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	r.Send("Subject: " + strings.Repeat("x", 1200))
	assert.Equal(t, "500 5.5.2 Line too long (RFC 5321 section 4.5.3.1.6)", r.Read())
	w.srv.Close()
	assert.Zero(t, w.q.count())
}

func TestSizeLimit(t *testing.T) {
	w := start(t, func(o *msa.Options) { o.MaxMessageBytes = 100 })
	r := w.session(t, true)
	for _, l := range []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
		"MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	body := strings.Repeat("0123456789\r\n", 20) + "."
	assert.Equal(t, "552 5.3.4 Message size exceeds fixed limit", r.Cmd(body))
	assert.Equal(t, "552 5.3.4 Max message size exceeded", r.Cmd("MAIL FROM:<alice@example.org> SIZE=500"))
	assert.Zero(t, w.q.count())
}

func TestDroppedMidDataQueuesNothing(t *testing.T) {
	w := start(t, nil)
	r := w.session(t, true)
	for _, l := range []string{"AUTH PLAIN " + plain("alice@example.org", "wonderland"),
		"MAIL FROM:<alice@example.org>", "RCPT TO:<bob@example.net>", "DATA"} {
		r.Cmd(l)
	}
	r.Send("Subject: half a message")
	r.Close()
	w.srv.Close() // waits for the session to end
	assert.Zero(t, w.q.count())
}

func TestConnectionCap(t *testing.T) {
	w := start(t, func(o *msa.Options) { o.MaxConns = 2 })
	mailtest.Dial(t, w.addr)
	c, err := net.Dial("tcp", w.tlsAd) // counted too, before its TLS handshake
	require.NoError(t, err)
	defer c.Close()
	// The two listeners accept on their own goroutines: until the TLS
	// connection is counted, a third one may still get in. It is closed
	// and tried again; if the TLS connection were never counted, every
	// try would be let in and this would fail.
	var r *mailtest.Raw
	require.Eventually(t, func() bool {
		var greet string
		r, greet = mailtest.Dial(t, w.addr)
		if greet == "421 4.7.0 smtp.example.org Error: too many connections" {
			return true
		}
		r.Close()
		return false
	}, 5*time.Second, 20*time.Millisecond)
	assert.Equal(t, "EOF", r.Read())
}

func TestCloseIsFinal(t *testing.T) {
	w := start(t, nil)
	r := w.session(t, false)
	require.NoError(t, w.srv.Close())
	assert.Equal(t, "EOF", r.Read())
	assert.ErrorIs(t, w.srv.Serve(mailtest.Listen(t)), smtp.ErrServerClosed)
}
