package msa

import (
	"fmt"
	"io"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

// maxRecipients caps RCPT per message (RFC 5321 §4.5.3.1.8 asks for >= 100).
const maxRecipients = 100

// session is one SMTP session; go-smtp makes a new one after STARTTLS.
type session struct {
	srv      *Server
	conn     *smtp.Conn
	tls      bool
	user     string // set by a successful AUTH
	failures int    // wrong passwords on this connection
	env      mail.Envelope
}

var (
	_ smtp.Session     = (*session)(nil)
	_ smtp.AuthSession = (*session)(nil)
)

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := mail.TLSState(c.Conn())
	return &session{srv: s, conn: c, tls: isTLS}, nil
}

// Mail checks that the client logged in and sends as itself (RFC 6409 §6.1,
// §5.1: the MSA may reject a sender the user does not own).
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		if !s.authAllowed() {
			return errNeedTLS
		}
		return errNeedAuth
	}
	if !mail.SameAddress(from, s.user) {
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: fmt.Sprintf("<%s>: Sender address rejected: not owned by user %s", from, s.user)}
	}
	s.env = mail.Envelope{From: from, Auth: s.user}
	return nil
}

// Rcpt accepts any domain: relaying for its own users is the MSA's job.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	to = mail.PostmasterOf(to, s.srv.opts.Domain)
	if !mail.ValidAddress(to) {
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3},
			Message: fmt.Sprintf("<%s>: Bad recipient address syntax", to)}
	}
	if len(s.env.To) >= maxRecipients {
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 5, 3},
			Message: "Error: too many recipients"}
	}
	s.env.To = append(s.env.To, to)
	return nil
}

// Data completes the message and queues it. The 250 reply carries the
// queue id; go-smtp sends an *SMTPError's code and text as they are, which is
// how a 2xx text other than its fixed "OK: queued" gets out.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return dataError(err) // a dropped connection queues nothing
	}
	raw = s.srv.opts.DKIM.sign(s.complete(raw))
	env := s.env.Clone()
	env.Size, env.Arrived = len(raw), s.srv.opts.Now()
	id, err := s.srv.opts.Queue.Enqueue(env, raw)
	if err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Error: queue file write error"}
	}
	// 2.6.0: success, and it concerns the message itself (RFC 3463 §3.7).
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 6, 0},
		Message: "Ok: queued as " + id}
}

// dataError maps reader errors to Postfix-like replies.
func dataError(err error) error {
	switch err {
	case smtp.ErrDataTooLarge:
		return errTooBig
	case smtp.ErrTooLongLine:
		return errLongLine
	}
	return err
}

var (
	errTooBig = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
		Message: "Message size exceeds fixed limit"}
	errLongLine = &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 2},
		Message: "Line too long (RFC 5321 section 4.5.3.1.6)"}
)

func (s *session) Reset()        { s.env = mail.Envelope{} }
func (s *session) Logout() error { return nil }
