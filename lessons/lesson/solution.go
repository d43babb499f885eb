package lesson

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
)

// Play types the conversation into conn as a learner would: one line,
// then wait for the reply it expects (RFC 5321 §4.3.2 keeps a client
// without PIPELINING in step like this). The caller sets deadlines.
func (c Conversation) Play(conn io.ReadWriter) error {
	r := bufio.NewReader(conn)
	for i, t := range c.Talk {
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
