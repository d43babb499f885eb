package pop3

import (
	"fmt"
	"strconv"
)

// message resolves a message-number argument (RFC 1939 §5): numbers start
// at 1, and a message marked as deleted may not be used.
func (s *session) message(arg string) (int, *Error) {
	for _, c := range arg {
		if c < '0' || c > '9' {
			return 0, &Error{Text: "invalid message number"}
		}
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < 1 || n > len(s.msgs) {
		return 0, &Error{Text: "no such message"}
	}
	if s.deleted[n-1] {
		return 0, &Error{Text: fmt.Sprintf("message %d already deleted", n)}
	}
	return n - 1, nil
}

// count is the number and total size of the messages not marked deleted.
func (s *session) count() (n, size int) {
	for i, m := range s.msgs {
		if !s.deleted[i] {
			n++
			size += m.Size
		}
	}
	return n, size
}

// cmdStat answers "+OK count size" (RFC 1939 §5).
func (s *session) cmdStat(cmd Command) error {
	if len(cmd.Args) != 0 {
		return s.fail(errSyntax("STAT"))
	}
	n, size := s.count()
	return s.okf("%d %d", n, size)
}

// cmdList gives the size of one message or of all not deleted (RFC 1939 §5).
func (s *session) cmdList(cmd Command) error {
	return s.listing(cmd, "LIST [msg]", func(i int) string {
		return strconv.Itoa(s.msgs[i].Size)
	}, func() string {
		n, size := s.count()
		return fmt.Sprintf("%d messages (%d octets)", n, size)
	})
}

// cmdUidl gives the unique-id of one message or of all (RFC 1939 §7).
func (s *session) cmdUidl(cmd Command) error {
	return s.listing(cmd, "UIDL [msg]", func(i int) string {
		return s.msgs[i].UID
	}, func() string { return "unique-id listing follows" })
}

// listing is the shared shape of LIST and UIDL: with an argument a single
// line "+OK n value", without one a multi-line "n value" per message.
func (s *session) listing(cmd Command, usage string, value func(int) string, header func() string) error {
	switch len(cmd.Args) {
	case 0:
		var lines []string
		for i := range s.msgs {
			if !s.deleted[i] {
				lines = append(lines, fmt.Sprintf("%d %s", i+1, value(i)))
			}
		}
		return s.multi(header(), lines)
	case 1:
		i, e := s.message(cmd.Args[0])
		if e != nil {
			return s.fail(e)
		}
		return s.okf("%d %s", i+1, value(i))
	}
	return s.fail(errSyntax(usage))
}

// cmdDele marks a message; it is removed only in UPDATE (RFC 1939 §5).
func (s *session) cmdDele(cmd Command) error {
	if len(cmd.Args) != 1 {
		return s.fail(errSyntax("DELE msg"))
	}
	i, e := s.message(cmd.Args[0])
	if e != nil {
		return s.fail(e)
	}
	s.deleted[i] = true
	return s.okf("message %d deleted", i+1)
}

// cmdNoop does nothing (RFC 1939 §5).
func (s *session) cmdNoop(cmd Command) error {
	if len(cmd.Args) != 0 {
		return s.fail(errSyntax("NOOP"))
	}
	return s.ok("")
}

// cmdRset unmarks every deleted message (RFC 1939 §5).
func (s *session) cmdRset(cmd Command) error {
	if len(cmd.Args) != 0 {
		return s.fail(errSyntax("RSET"))
	}
	clear(s.deleted)
	n, size := s.count()
	return s.okf("maildrop has %d messages (%d octets)", n, size)
}
