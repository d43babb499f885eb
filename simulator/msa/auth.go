package msa

import (
	"fmt"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maillab/simulator/limits"
	"maillab/simulator/mail/smtpserve"
)

var (
	errNeedTLS = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0},
		Message: "Must issue a STARTTLS command first"}
	errNeedAuth = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0},
		Message: "Authentication required"}
	errBadSASL = &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 5, 2},
		Message: "Invalid authentication response"}
)

// AuthMechanisms lists PLAIN (RFC 4616) and LOGIN; none before TLS, so EHLO
// on port 587 only shows AUTH after STARTTLS (RFC 4954 §4, RFC 8314 §3.3).
func (s *session) AuthMechanisms() []string {
	if !s.authAllowed() {
		return nil
	}
	return []string{sasl.Plain, sasl.Login}
}

// Auth starts a SASL exchange. Before TLS it answers like Postfix with
// smtpd_tls_auth_only: 530 5.7.0 Must issue a STARTTLS command first.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if !s.authAllowed() {
		return nil, errNeedTLS
	}
	if err := s.locked(); err != nil {
		return nil, err
	}
	var srv sasl.Server
	switch mech {
	case sasl.Plain:
		srv = sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && identity != user {
				return smtp.ErrAuthFailed // no acting on behalf of another user
			}
			return s.login(user, pass)
		})
	case sasl.Login:
		srv = &loginServer{login: s.login}
	default:
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return saslErrors{srv}, nil
}

func (s *session) authAllowed() bool { return s.tls || s.srv.opts.AllowInsecureAuth }

// maxAuthFailures: the third wrong password on a connection ends it, as
// Postfix's and Dovecot's limits do; with the failure delay a guesser gets
// three tries per connection and one per AuthFailureDelay.
const maxAuthFailures = 3

var errTooManyFailures = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
	Message: "Too many authentication failures, closing connection"}

func (s *session) login(user, pass string) error {
	if err := s.locked(); err != nil {
		return err
	}
	if err := s.srv.opts.Auth(user, pass); err != nil {
		// Like Dovecot's auth_failure_delay: a wrong password is answered
		// only after a pause, so guessing is slow; the pause grows with
		// the failures of the client's address (Dovecot's auth penalty).
		time.Sleep(s.srv.opts.Penalty.Fail(s.addr()))
		return s.failed(smtp.ErrAuthFailed) // 535 5.7.8 (RFC 4954 §6)
	}
	s.user = user
	smtpserve.LoggedIn(s.conn.Conn())
	return nil
}

// failed counts a failure on this connection; the third ends it.
func (s *session) failed(err error) error {
	if s.failures++; s.failures >= maxAuthFailures {
		return errTooManyFailures // 421 closes the connection
	}
	return err
}

// locked refuses AUTH for a while to an address that failed too often,
// before any password is sent, with Postfix's reply to a client over its
// AUTH rate (anvil, smtpd_client_auth_rate_limit). It counts as a failure
// of the connection.
func (s *session) locked() error {
	addr := s.addr()
	if !s.srv.opts.Penalty.Locked(addr) {
		return nil
	}
	return s.failed(&smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 1},
		Message: fmt.Sprintf("Error: too many AUTH commands from %s", addr)})
}

func (s *session) addr() string {
	if s.conn == nil {
		return ""
	}
	return limits.Host(s.conn.Conn())
}

// saslErrors turns go-sasl's plain errors into SMTP replies: go-smtp would
// send them as "454 4.7.0 sasl: ...".
type saslErrors struct{ sasl.Server }

func (w saslErrors) Next(resp []byte) ([]byte, bool, error) {
	ch, done, err := w.Server.Next(resp)
	if _, ok := err.(*smtp.SMTPError); err != nil && !ok {
		err = errBadSASL
	}
	return ch, done, err
}

// loginServer is the server side of the LOGIN mechanism
// (draft-murchison-sasl-login): it asks "Username:" and "Password:". go-sasl
// ships only the client side.
type loginServer struct {
	login func(user, pass string) error
	user  string
	step  int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step = 1
		if resp == nil { // no initial response: ask for the user name
			return []byte("Username:"), false, nil
		}
		fallthrough
	case 1:
		l.user, l.step = string(resp), 2
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.login(l.user, string(resp))
	}
}
