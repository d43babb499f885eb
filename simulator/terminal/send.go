package terminal

import (
	"io"
	"strings"
)

// Send writes line and CRLF. An empty line is allowed (it matters inside
// DATA). After a STARTTLS request the next Send waits until the server has
// answered and, if it agreed, the handshake is done, so no plaintext line
// follows a request to encrypt.
func (s *Session) Send(line string) error {
	if strings.ContainsAny(line, "\r\n") {
		return ErrLineBreak
	}
	if len(line) > MaxSend {
		return ErrTooLong
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.waitUpgrade(); err != nil {
		return err
	}
	e := Entry{Kind: KindSent, Text: line}
	starttls := s.replies.sent(line)
	e.Credential = s.creds.Client(s.Service.Proto, line)
	if starttls && !s.encrypted {
		s.upgrading = make(chan struct{})
	}
	conn := s.conn
	s.mu.Unlock()
	// Logged before the write, so the answer can never come first.
	s.emit(e)
	if _, err := io.WriteString(conn, line+"\r\n"); err != nil {
		if s.Closed() {
			return ErrClosed
		}
		s.emit(note(KindError, "terminal.error.send", map[string]string{"err": err.Error()}))
		return err
	}
	return nil
}

// waitUpgrade returns with s.mu held once no STARTTLS answer is pending.
func (s *Session) waitUpgrade() error {
	for {
		s.mu.Lock()
		if s.closing || s.ended {
			s.mu.Unlock()
			return ErrClosed
		}
		ch := s.upgrading
		if ch == nil {
			return nil
		}
		s.mu.Unlock()
		select {
		case <-ch:
		case <-s.done:
		}
	}
}
