package pop3

import "fmt"

// cmdQuit ends the session. In TRANSACTION it enters the UPDATE state and
// removes the messages marked as deleted (RFC 1939 §6).
func (s *session) cmdQuit(cmd Command) error {
	if len(cmd.Args) != 0 {
		return s.fail(errSyntax("QUIT"))
	}
	if s.state == stateTransaction {
		return s.update()
	}
	s.ok(s.srv.opts.Hostname + " POP3 server signing off")
	return errHangUp
}

// update applies the deletions. The lock is released before the reply so
// the client may log in again as soon as it reads "+OK".
func (s *session) update() error {
	uids := s.deletedUIDs()
	left := len(s.msgs) - len(uids)
	var err error
	if len(uids) > 0 {
		err = s.drop.Delete(uids)
	}
	s.closeDrop()
	if err != nil {
		s.fail(&Error{Code: "SYS/TEMP", Text: "some deleted messages not removed"})
		return errHangUp
	}
	bye := s.srv.opts.Hostname + " POP3 server signing off"
	if left == 0 {
		s.ok(bye + " (maildrop empty)")
	} else {
		s.ok(fmt.Sprintf("%s (%d messages left)", bye, left))
	}
	return errHangUp
}

func (s *session) deletedUIDs() []string {
	var uids []string
	for i, m := range s.msgs {
		if s.deleted[i] {
			uids = append(uids, m.UID)
		}
	}
	return uids
}
