// Package mailtest holds test helpers shared by the SMTP-side packages: a
// raw line client for whole-transcript tests and a listener helper.
package mailtest

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/textproto"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Raw speaks a line protocol by hand, like a student at a terminal.
type Raw struct {
	t    testing.TB
	Conn net.Conn
	tp   *textproto.Conn
}

// Dial connects to addr and reads the greeting, returned as "220 text".
func Dial(t testing.TB, addr string) (*Raw, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err, "Dial()")
	r := newRaw(t, c)
	return r, r.Read()
}

// DialTLS connects with implicit TLS (port 465 style).
func DialTLS(t testing.TB, addr string, cfg *tls.Config) (*Raw, string) {
	t.Helper()
	c, err := tls.Dial("tcp", addr, cfg)
	require.NoError(t, err, "tls.Dial()")
	r := newRaw(t, c)
	return r, r.Read()
}

// newRaw guards against a hung test: a reply that never comes fails the
// test instead of blocking it.
func newRaw(t testing.TB, c net.Conn) *Raw {
	c.SetDeadline(time.Now().Add(time.Minute))
	r := &Raw{t: t, Conn: c, tp: textproto.NewConn(c)}
	t.Cleanup(func() { r.Close() })
	return r
}

// Read reads one reply: "code text", the lines of a multi-line reply joined
// by "\n" (without their codes). An I/O error reads as "EOF".
func (r *Raw) Read() string {
	code, msg, err := r.tp.ReadResponse(0)
	if _, ok := err.(*textproto.Error); err != nil && !ok {
		return "EOF"
	}
	return fmt.Sprintf("%d %s", code, msg)
}

// Cmd sends one line and reads the reply.
func (r *Raw) Cmd(line string) string {
	r.Send(line)
	return r.Read()
}

// Send writes one line without reading.
func (r *Raw) Send(line string) {
	r.t.Helper()
	_, err := r.Conn.Write([]byte(line + "\r\n"))
	require.NoError(r.t, err, "Write(%q)", line)
}

// StartTLS issues STARTTLS and switches to TLS.
func (r *Raw) StartTLS(cfg *tls.Config) {
	r.t.Helper()
	require.Equal(r.t, "220 2.0.0 Ready to start TLS", r.Cmd("STARTTLS"))
	tc := tls.Client(r.Conn, cfg)
	require.NoError(r.t, tc.Handshake(), "Handshake()")
	r.Conn, r.tp = tc, textproto.NewConn(tc)
}

// Close closes the connection.
func (r *Raw) Close() error { return r.Conn.Close() }

// Listen binds 127.0.0.1:0.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "Listen()")
	return l
}
