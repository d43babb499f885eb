package pop3

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// cmdUser takes the name for PASS (RFC 1939 §7). Every name is accepted:
// the answer comes after PASS, so USER does not reveal which users exist.
func (s *session) cmdUser(cmd Command) error {
	if len(cmd.Args) != 1 {
		return s.fail(errSyntax("USER name"))
	}
	if e := s.plaintextRefused(); e != nil {
		return s.fail(e)
	}
	s.user = cmd.Args[0]
	return s.ok("send PASS")
}

// cmdPass checks the password for the USER name. The password is the rest
// of the line, spaces included (RFC 1939 §7).
func (s *session) cmdPass(cmd Command) error {
	if s.user == "" {
		return s.fail(&Error{Text: "send USER first"})
	}
	if cmd.Rest == "" {
		return s.fail(errSyntax("PASS password"))
	}
	user := s.user
	s.user = "" // RFC 1939 §7: after PASS, a new attempt starts with USER
	if s.locked() {
		return s.lockedOut()
	}
	drop, err := s.srv.opts.Backend.Login(user, cmd.Rest)
	return s.loggedIn(user, drop, err)
}

// cmdAPOP checks md5(timestamp+secret) against the greeting's timestamp
// (RFC 1939 §7).
func (s *session) cmdAPOP(cmd Command) error {
	if len(cmd.Args) != 2 {
		return s.fail(errSyntax("APOP name digest"))
	}
	user, digest := cmd.Args[0], strings.ToLower(cmd.Args[1])
	s.user = ""
	if s.locked() {
		return s.lockedOut()
	}
	drop, err := s.srv.opts.Backend.APOP(user, s.timestamp, digest)
	return s.loggedIn(user, drop, err)
}

// plaintextRefused is the RequireTLSForAuth rule: no cleartext password
// before STLS.
func (s *session) plaintextRefused() *Error {
	if s.srv.opts.RequireTLSForAuth && !s.tls {
		return &Error{Code: "AUTH", Text: "Plaintext authentication disallowed on non-secure connections: use STLS first, or port 995"}
	}
	return nil
}

// loggedIn turns a backend answer into the reply and, on success, the
// TRANSACTION state.
func (s *session) loggedIn(user string, drop Maildrop, err error) error {
	switch {
	case errors.Is(err, ErrAuth):
		return s.authFailed()
	case err != nil:
		return s.fail(&Error{Code: "SYS/TEMP", Text: "authentication unavailable, try again later"})
	}
	return s.enterTransaction(user, drop)
}

// authFailed answers a wrong credential after Dovecot's auth_failure_delay,
// which grows with the failures of the client's address (Dovecot's auth
// penalty); the third failure on a connection closes it.
func (s *session) authFailed() error {
	time.Sleep(s.srv.opts.Penalty.Fail(s.addr))
	return s.refused(errAuthFailed())
}

// locked reports whether the client's address failed so often that its
// logins are refused for now, whatever the password.
func (s *session) locked() bool { return s.srv.opts.Penalty.Locked(s.addr) }

// lockedOut refuses a login from a locked address. SYS/TEMP (RFC 3206)
// rather than AUTH: the credentials were not even checked, and a client
// should try again later instead of asking for a new password.
func (s *session) lockedOut() error {
	return s.refused(&Error{Code: "SYS/TEMP", Text: "too many authentication failures from your address, try again later"})
}

// refused sends a failed login's reply; the third on a connection closes it.
func (s *session) refused(e *Error) error {
	s.failures++
	if err := s.fail(e); err != nil {
		return err
	}
	if s.failures >= maxAuthFailures {
		return errHangUp
	}
	return nil
}

// enterTransaction takes the maildrop lock and the snapshot of messages
// (RFC 1939 §4). A locked maildrop is refused with IN-USE (RFC 2449 §8.1).
func (s *session) enterTransaction(user string, drop Maildrop) error {
	key := strings.ToLower(user)
	if !s.srv.locks.acquire(key) {
		drop.Close()
		return s.fail(&Error{Code: "IN-USE", Text: "maildrop already locked"})
	}
	msgs, err := drop.Messages()
	if err != nil {
		drop.Close()
		s.srv.locks.release(key)
		return s.fail(&Error{Code: "SYS/TEMP", Text: "cannot open maildrop"})
	}
	s.state, s.drop, s.lockKey = stateTransaction, drop, key
	s.msgs, s.deleted = msgs, make([]bool, len(msgs))
	n, size := s.count()
	return s.ok(fmt.Sprintf("%s's maildrop has %d messages (%d octets)", user, n, size))
}
