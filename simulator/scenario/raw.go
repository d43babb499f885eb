package scenario

import (
	"context"
	"fmt"
	"net"
	"net/textproto"
	"strings"
)

// rawSMTP is an SMTP session typed by hand, as with telnet: the lessons
// use it where a well-behaved client library would refuse to misbehave
// (lying about SIZE, AUTH that the server did not offer).
type rawSMTP struct {
	conn net.Conn
	tp   *textproto.Conn
	stop func() bool
}

// dialSMTP connects from node to host's port and reads the greeting.
func (s *Script) dialSMTP(ctx context.Context, from, host string, port int) (*rawSMTP, error) {
	conn, err := s.W.DialService(ctx, from, host, port)
	if err != nil {
		return nil, err
	}
	r := &rawSMTP{conn: conn, tp: textproto.NewConn(conn)}
	r.stop = context.AfterFunc(ctx, func() { conn.Close() }) // a reset ends the session
	if _, _, err := r.reply(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// reply reads one whole (possibly multi-line) reply.
func (r *rawSMTP) reply() (int, string, error) {
	code, msg, err := r.tp.ReadResponse(0)
	if err != nil {
		return code, msg, fmt.Errorf("scenario: reading an SMTP reply: %w", err)
	}
	return code, msg, nil
}

// cmd sends one command line and returns its reply.
func (r *rawSMTP) cmd(format string, args ...any) (int, string, error) {
	if err := r.tp.PrintfLine(format, args...); err != nil {
		return 0, "", err
	}
	return r.reply()
}

// expect sends a command and fails unless the reply has code want.
func (r *rawSMTP) expect(want int, format string, args ...any) (string, error) {
	code, msg, err := r.cmd(format, args...)
	if err == nil && code != want {
		err = fmt.Errorf("scenario: %q got %d %s, want %d", strings.Fields(format)[0], code, msg, want)
	}
	return msg, err
}

// lines sends message lines as they are (the caller dot-stuffs).
func (r *rawSMTP) lines(lines []string) error {
	for _, l := range lines {
		if err := r.tp.PrintfLine("%s", l); err != nil {
			return err
		}
	}
	return nil
}

// Close ends the session without QUIT.
func (r *rawSMTP) Close() error {
	r.stop()
	return r.tp.Close()
}

// addressLiteral names the local end of conn for EHLO: "[127.77.9.66]"
// (RFC 5321 §4.1.3).
func addressLiteral(conn net.Conn) string {
	host, _, err := net.SplitHostPort(conn.LocalAddr().String())
	if err != nil {
		return "[127.0.0.1]"
	}
	return "[" + host + "]"
}
