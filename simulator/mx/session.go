package mx

import (
	"fmt"
	"io"
	"slices"
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
	// relayed are the recipients at other domains accepted for a client
	// in Policy.RelayNets; env.To holds only the local ones.
	relayed []string
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
// With Policy.RequireTLS, MAIL before STARTTLS is refused.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.Policy().RequireTLS && !s.tls {
		return errNeedTLS
	}
	s.env, s.relayed = mail.Envelope{From: from}, nil
	return nil
}

// Rcpt accepts only existing mailboxes of its own domain: an open relay
// would forward anyone's spam (RFC 5321 §3.6.2, §7.1).
// A client in Policy.RelayNets may send to any domain (permit_mynetworks
// comes first, as in Postfix) and is never greylisted; anyone else's first
// try of a triple is, with Policy.Greylist.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	pol := s.srv.Policy()
	ip := mail.RemoteIP(s.conn.Conn())
	trusted := len(pol.RelayNets) > 0 && pol.mayRelay(ip)
	to = mail.PostmasterOf(to, s.srv.opts.Domain)
	switch {
	case !mail.ValidAddress(to):
		return rcptError(501, 5, 1, 3, "<%s>: Bad recipient address syntax", to)
	case mail.Domain(to) != s.srv.opts.Domain && trusted:
		if len(s.env.To)+len(s.relayed) >= maxRecipients {
			return rcptError(452, 4, 5, 3, "Error: too many recipients%s", "")
		}
		s.relayed = append(s.relayed, to)
		return nil
	case mail.Domain(to) != s.srv.opts.Domain:
		// 550, not Postfix's 554: RFC 5321 §4.3.2 lists 550 among RCPT's
		// replies and 554 not (the explanation names Postfix's text).
		return rcptError(550, 5, 7, 1, "<%s>: Relay access denied", to)
	case !s.srv.opts.Users.HasUser(to) && !mail.IsPostmaster(to):
		return rcptError(550, 5, 1, 1, "<%s>: Recipient address rejected: User unknown", to)
	case len(s.env.To)+len(s.relayed) >= maxRecipients:
		return rcptError(452, 4, 5, 3, "Error: too many recipients%s", "")
	case pol.Greylist != nil && !trusted && !pol.Greylist.Check(ip, s.env.From, to):
		return greylisted(to)
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
	if len(s.relayed) > 0 {
		return s.deliverAndRelay(raw, now)
	}
	env := s.env.Clone()
	env.Size, env.Arrived = len(raw), now
	per, err := s.srv.opts.Deliver.Deliver(s.srv.ctx, env, raw)
	return verdict(env.To, per, err)
}

// deliverAndRelay hands the local recipients' copy to the MDA and the
// relayed ones' to the queue; one reply covers both (verdict), "queued
// as" when all went well.
func (s *session) deliverAndRelay(raw []byte, now time.Time) error {
	id, relayErr := s.relayTo(raw)
	per := map[string]error{}
	var err error
	if len(s.env.To) > 0 {
		env := s.env.Clone()
		env.Size, env.Arrived = len(raw), now
		per, err = s.srv.opts.Deliver.Deliver(s.srv.ctx, env, raw)
		if err != nil {
			return errHandOver
		}
	}
	if per == nil {
		per = map[string]error{}
	}
	for _, r := range s.relayed {
		per[r] = relayErr
	}
	all := append(slices.Clone(s.env.To), s.relayed...)
	v := verdict(all, per, nil)
	if v == delivered {
		return queuedAs(id)
	}
	return v
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

func (s *session) Reset()        { s.env, s.relayed = mail.Envelope{}, nil }
func (s *session) Logout() error { return nil }
