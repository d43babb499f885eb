package scenario

import (
	"context"
	"fmt"
	"net"
	"net/textproto"
	"strings"
)

// rawPOP3 is a POP3 session typed by hand, as with telnet on port 110:
// the plaintext-password lesson sends what a careless client would.
type rawPOP3 struct {
	conn net.Conn
	tp   *textproto.Conn
	stop func() bool
}

func (s *Script) dialPOP3(ctx context.Context, from, host string, port int) (*rawPOP3, error) {
	conn, err := s.W.DialService(ctx, from, host, port)
	if err != nil {
		return nil, err
	}
	r := &rawPOP3{conn: conn, tp: textproto.NewConn(conn)}
	r.stop = context.AfterFunc(ctx, func() { conn.Close() })
	if _, err := r.status(true); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// status reads one status line and checks it is +OK (want) or -ERR.
func (r *rawPOP3) status(want bool) (string, error) {
	l, err := r.tp.ReadLine()
	if err != nil {
		return "", fmt.Errorf("scenario: reading a POP3 reply: %w", err)
	}
	if ok := strings.HasPrefix(l, "+OK"); ok != want {
		return l, fmt.Errorf("scenario: POP3 said %q", l)
	}
	return l, nil
}

// expect sends a command and checks the status line; a multi-line
// answer (CAPA) is read to its lone dot.
func (r *rawPOP3) expect(ok, multi bool, format string, args ...any) ([]string, error) {
	if err := r.tp.PrintfLine(format, args...); err != nil {
		return nil, err
	}
	if _, err := r.status(ok); err != nil || !multi {
		return nil, err
	}
	return r.tp.ReadDotLines()
}

func (r *rawPOP3) Close() error {
	r.stop()
	return r.tp.Close()
}
