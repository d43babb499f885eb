package lesson

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
)

// Play types the conversation into conn as a learner would: one line,
// then wait for the reply it expects (RFC 5321 §4.3.2 keeps a client
// without PIPELINING in step like this). The caller sets deadlines. A
// conversation with a StartTLS turn needs PlayTLS.
func (c Conversation) Play(conn io.ReadWriter) error { return c.PlayTLS(conn, nil) }

// PlayTLS is Play with the upgrade: after a StartTLS turn's go-ahead it
// calls startTLS, which does the handshake on the same connection, and
// goes on over the connection it returns.
func (c Conversation) PlayTLS(conn io.ReadWriter, startTLS func() (io.ReadWriter, error)) error {
	r := bufio.NewReader(conn)
	for i, t := range c.Talk {
		if i > 0 && c.Talk[i-1].StartTLS {
			if startTLS == nil {
				return fmt.Errorf("%s turn %d: TLS needed, but no way to start it", c.Server, i)
			}
			if r.Buffered() > 0 {
				// RFC 3207 §4: nothing may follow the go-ahead in plaintext.
				return fmt.Errorf("%s turn %d: the server sent more after its go-ahead to TLS", c.Server, i)
			}
			var err error
			if conn, err = startTLS(); err != nil {
				return fmt.Errorf("%s turn %d: TLS: %w", c.Server, i, err)
			}
			r = bufio.NewReader(conn)
		}
		if t.Send != nil {
			if _, err := io.WriteString(conn, *t.Send+"\r\n"); err != nil {
				return fmt.Errorf("%s turn %d: %w", c.Server, i+1, err)
			}
		}
		if t.Expect == "" {
			continue
		}
		if err := readUntil(r, regexp.MustCompile(t.Expect)); err != nil {
			return fmt.Errorf("%s turn %d: %w", c.Server, i+1, err)
		}
	}
	return nil
}

// readUntil reads reply lines until one matches re; the lines before it
// are the rest of a multi-line reply.
func readUntil(r *bufio.Reader, re *regexp.Regexp) error {
	var last string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("expected a line matching %q, last line %q: %w", re, last, err)
		}
		last = trimEOL(line)
		if re.MatchString(last) {
			return nil
		}
	}
}

func trimEOL(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
