package mx

import (
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

const maxRecipients = 100 // RFC 5321 §4.5.3.1.8

type session struct {
	srv  *Server
	conn *smtp.Conn
	tls  bool
	env  mail.Envelope
}

var (
	_ smtp.Session     = (*session)(nil)
	_ smtp.AuthSession = (*session)(nil)
)

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := mail.TLSState(c.Conn())
	return &session{srv: s, conn: c, tls: isTLS}, nil
}

// AuthMechanisms is empty: port 25 takes mail from anyone for its own users
// and needs no login (RFC 6409 §1 keeps AUTH for submission).
func (s *session) AuthMechanisms() []string { return nil }

// Auth answers like Postfix without smtpd_sasl_auth_enable.
func (s *session) Auth(string) (sasl.Server, error) {
	return nil, &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1},
		Message: "Error: authentication not enabled"}
}

// Mail takes any sender, the null one of bounces included (RFC 5321 §4.5.5).
// go-smtp has already refused a SIZE= over the limit (RFC 1870 §6.1).
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.env = mail.Envelope{From: from}
	return nil
}

// Rcpt accepts only existing mailboxes of its own domain: an open relay
// would forward anyone's spam (RFC 5321 §3.6.2, §7.1).
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch {
	case !mail.ValidAddress(to):
		return rcptError(501, 5, 1, 3, "<%s>: Bad recipient address syntax", to)
	case mail.Domain(to) != s.srv.opts.Domain:
		// 550, not Postfix's 554: RFC 5321 §4.3.2 lists 550 among RCPT's
		// replies and 554 not (the explanation names Postfix's text).
		return rcptError(550, 5, 7, 1, "<%s>: Relay access denied", to)
	case !s.srv.opts.Users.HasUser(to):
		return rcptError(550, 5, 1, 1, "<%s>: Recipient address rejected: User unknown", to)
	case len(s.env.To) >= maxRecipients:
		return rcptError(452, 4, 5, 3, "Error: too many recipients%s", "")
	}
	s.env.To = append(s.env.To, to)
	return nil
}

func rcptError(code, a, b, c int, format, addr string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{a, b, c},
		Message: fmt.Sprintf(format, addr)}
}

// Data adds the trace field and answers only after the MDA took the message,
// so a 250 from this server always means "in the mailbox".
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return dataError(err)
	}
	now := s.srv.opts.Now()
	if s.srv.checks.Load() && s.srv.opts.LookupTXT != nil {
		res := s.authenticate(raw)
		if res.Reject {
			return res.rejection()
		}
		raw = mail.Prepend(raw, res.field(s.srv.opts.Hostname))
	}
	raw = mail.Prepend(raw, s.received(now))
	env := s.env.Clone()
	env.Size, env.Arrived = len(raw), now
	per, err := s.srv.opts.Deliver.Deliver(s.srv.ctx, env, raw)
	return verdict(env.To, per, err)
}

func (s *session) received(now time.Time) string {
	r := mail.Received{
		Helo: s.conn.Hostname(),
		Addr: mail.RemoteIP(s.conn.Conn()),
		By:   s.srv.opts.Hostname,
		With: mail.Protocol(false, s.tls, false),
		For:  mail.OneRecipient(s.env.To),
		Date: now,
	}
	if st, ok := mail.TLSState(s.conn.Conn()); ok {
		r.TLS = mail.TLSNote(st)
	}
	return r.Field()
}

func (s *session) Reset()        { s.env = mail.Envelope{} }
func (s *session) Logout() error { return nil }
