package pop3

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// cmdRetr sends a whole message (RFC 1939 §5).
func (s *session) cmdRetr(cmd Command) error {
	if len(cmd.Args) != 1 {
		return s.fail(errSyntax("RETR msg"))
	}
	i, e := s.message(cmd.Args[0])
	if e != nil {
		return s.fail(e)
	}
	return s.sendMessage(i, fmt.Sprintf("%d octets", s.msgs[i].Size), -1)
}

// cmdTop sends the header and the first lines of the body (RFC 1939 §7).
func (s *session) cmdTop(cmd Command) error {
	if len(cmd.Args) != 2 {
		return s.fail(errSyntax("TOP msg n"))
	}
	i, e := s.message(cmd.Args[0])
	if e != nil {
		return s.fail(e)
	}
	n, err := strconv.ParseUint(cmd.Args[1], 10, 31)
	if errors.Is(err, strconv.ErrRange) {
		n, err = math.MaxInt32, nil // more lines than any body has
	}
	if err != nil {
		return s.fail(&Error{Text: "invalid line count, must be a non-negative number"})
	}
	return s.sendMessage(i, "top of message follows", int(n))
}

// sendMessage opens message i and sends it as a multi-line response.
func (s *session) sendMessage(i int, text string, bodyLines int) error {
	data, err := s.msgs[i].Open()
	if err != nil {
		return s.fail(&Error{Code: "SYS/TEMP", Text: "cannot read message"})
	}
	s.w.WriteString("+OK " + text + "\r\n")
	writeBody(s.w, data, bodyLines)
	return s.flush()
}
