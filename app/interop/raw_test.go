package interop_test

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rawConn is a hand-typed session over TCP, the way a student (or an
// attacker) talks to a server with netcat.
type rawConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

// dialRaw connects to addr; every read and write must finish within 10 s.
func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	require.NoError(t, err, "Dial(%s)", addr)
	return newRaw(t, c)
}

// dialRawTLS connects to an implicit-TLS port, trusting the run's CA.
func (e *env) dialRawTLS(t *testing.T, addr, host string) *rawConn {
	t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr, e.w.CA.ClientConfig(host))
	require.NoError(t, err, "tls.Dial(%s)", addr)
	return newRaw(t, c)
}

func newRaw(t *testing.T, c net.Conn) *rawConn {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, r: bufio.NewReader(c)}
}

// send writes s as is; a server that already hung up may refuse it.
func (r *rawConn) send(s string) error {
	_, err := io.WriteString(r.c, s)
	return err
}

// line reads one line without its CRLF.
func (r *rawConn) line() string {
	r.t.Helper()
	l, err := r.r.ReadString('\n')
	require.NoError(r.t, err, "reading a line (got %q)", l)
	return strings.TrimRight(l, "\r\n")
}

// reply reads an SMTP reply, continuation lines included, and returns its
// last line (RFC 5321 §4.2.1).
func (r *rawConn) reply() string {
	r.t.Helper()
	for {
		l := r.line()
		if len(l) < 4 || l[3] != '-' {
			return l
		}
	}
}

// tagged reads IMAP lines up to the one that starts with tag.
func (r *rawConn) tagged(tag string) string {
	r.t.Helper()
	for {
		if l := r.line(); strings.HasPrefix(l, tag+" ") {
			return l
		}
	}
}

// rest reads until the server closes the connection (or the deadline).
func (r *rawConn) rest() (string, error) {
	b, err := io.ReadAll(r.r)
	return string(b), err
}

// closedByServer reports whether the server hung up: a read sees EOF or a
// reset, not the deadline.
func (r *rawConn) closedByServer() bool {
	_, err := r.rest()
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// startTLS upgrades the connection after the server said yes.
func (r *rawConn) startTLS(cfg *tls.Config) {
	r.t.Helper()
	tc := tls.Client(r.c, cfg)
	require.NoError(r.t, tc.Handshake(), "TLS handshake")
	r.c, r.r = tc, bufio.NewReader(tc)
}

// garbage is seeded binary noise: every byte value, NULs and bare CRs, cut
// into lines of up to 80 octets so line-based servers parse it.
func garbage(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%80 == 79 {
			b.WriteString("\r\n")
			continue
		}
		b.WriteByte(byte(rng.IntN(256)))
	}
	b.WriteString("\r\n")
	return b.String()
}

// plain is a SASL PLAIN initial response (RFC 4616).
func plain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}
