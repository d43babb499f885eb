package mda

import (
	"errors"
	"fmt"
	"io"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
	"maillab/simulator/store"
)

// session is one LMTP transaction at a time.
type session struct {
	srv  *Server
	from string
	to   []string // in RCPT order, duplicates kept: one status each
}

var _ smtp.LMTPSession = (*session)(nil)

func (s *Server) newSession(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

// Rcpt accepts only mailboxes the store knows (RFC 2033 §4.2), and the
// postmaster, an alias of the provider's first account.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !s.srv.opts.Store.HasUser(s.postmaster(to)) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: fmt.Sprintf("<%s>: User unknown", to)}
	}
	s.to = append(s.to, to)
	return nil
}

// postmaster resolves the reserved mailbox every domain must accept (RFC
// 5321 §4.5.1), which has no account of its own here: as a local alias
// (Postfix's postmaster: root) it goes to the provider's first account in
// alphabetical order.
func (s *session) postmaster(to string) string {
	if !mail.IsPostmaster(to) || s.srv.opts.Store.HasUser(to) {
		return to
	}
	if users := s.srv.opts.Store.Users(); len(users) > 0 {
		return users[0]
	}
	return to
}

// LMTPData delivers to every recipient and reports each one's fate after
// the final dot (RFC 2033 §4.2): one mailbox failing does not fail the others.
func (s *session) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return readError(err)
	}
	done := map[string]error{}
	for _, to := range s.to {
		if _, ok := done[to]; !ok {
			done[to] = s.deliver(to, raw)
		}
		if done[to] == nil {
			status.SetStatus(to, delivered)
			continue
		}
		status.SetStatus(to, done[to])
	}
	return nil
}

// Data is the single-status fallback go-smtp uses for BDAT; the first
// failure stands for all.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return readError(err)
	}
	for _, to := range s.to {
		if err := s.deliver(to, raw); err != nil {
			return err
		}
	}
	return nil
}

// deliver adds the final-delivery fields, Return-Path (RFC 5321 §4.4) and
// Delivered-To (RFC 9228), and files the copy into INBOX.
func (s *session) deliver(to string, raw []byte) error {
	to = s.postmaster(to)
	msg := mail.Prepend(raw, "Return-Path: <"+s.from+">", "Delivered-To: "+to)
	err := s.srv.opts.Store.Deliver(to, "INBOX", msg, nil, s.srv.opts.Now())
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrOverQuota):
		return errMailboxFull
	}
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary mailbox error, try again later"}
}

// errMailboxFull is the answer for a recipient over quota, in Dovecot's
// words (quota_exceeded_message): 5.2.2 "mailbox
// full" (RFC 3463 §3.3), permanent as Dovecot's LMTP makes it by default
// (quota_full_tempfail = no), so the sender gets a bounce.
var errMailboxFull = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 2, 2},
	Message: "Quota exceeded (mailbox for user is full)"}

// delivered is a success status: go-smtp writes an *SMTPError's code and
// text as given (after the "<rcpt> " prefix LMTP adds), and its own text for
// nil would be "OK: queued", which an MDA does not do.
var delivered = &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0},
	Message: "Delivered to INBOX"}

func readError(err error) error {
	if err == smtp.ErrDataTooLarge {
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
			Message: "Message size exceeds fixed limit"}
	}
	return err
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
