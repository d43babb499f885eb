package pop3

import (
	"fmt"
	"time"
)

// ok sends "+OK text" (RFC 1939 §3).
func (s *session) ok(text string) error {
	if text == "" {
		return s.send("+OK")
	}
	return s.send("+OK " + text)
}

func (s *session) okf(format string, args ...any) error {
	return s.ok(fmt.Sprintf(format, args...))
}

// fail sends "-ERR [code] text".
func (s *session) fail(e *Error) error {
	return s.send("-ERR " + e.line())
}

// send writes one line and flushes it.
func (s *session) send(line string) error {
	s.w.WriteString(line)
	s.w.WriteString("\r\n")
	return s.flush()
}

// flush sends what is buffered. The deadline is as generous as the idle
// timer: a paused tap may hold a line for minutes.
func (s *session) flush() error {
	s.conn.SetWriteDeadline(time.Now().Add(s.srv.opts.Timeouts.Session))
	return s.w.Flush()
}

// multi sends "+OK text", the lines, each dot-stuffed, and the final "."
// (RFC 1939 §3).
func (s *session) multi(text string, lines []string) error {
	s.w.WriteString("+OK " + text + "\r\n")
	for _, l := range lines {
		writeStuffed(s.w, []byte(l))
	}
	s.w.WriteString(".\r\n")
	return s.flush()
}
