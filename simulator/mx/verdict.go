package mx

import (
	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

var (
	errTooBig = &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
		Message: "Message size exceeds fixed limit"}
	errLongLine = &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 2},
		Message: "Line too long (RFC 5321 section 4.5.3.1.6)"}
	errHandOver = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Error: local delivery failed, try again later"}
	errPartial = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Error: delivery failed for some recipients, try again later"}
	delivered = &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0},
		Message: "Ok: delivered to the mailbox"}
)

func dataError(err error) error {
	switch err {
	case smtp.ErrDataTooLarge:
		return errTooBig // RFC 1870 §6.3, Postfix's wording
	case smtp.ErrTooLongLine:
		return errLongLine
	}
	return err
}

// verdict turns the MDA's per-recipient answers into the one reply SMTP
// allows after DATA (RFC 5321 §4.2.5):
//   - all delivered: 250 (go-smtp sends an *SMTPError's code and text as they
//     are, which is how a 250 text of our own gets out);
//   - none delivered: the first recipient's failure, 4xx or 5xx as the MDA said;
//   - some delivered: 451, so the sender retries rather than the rest being
//     lost. The retry may give the delivered recipients a second copy; since
//     unknown users are refused at RCPT, this only happens when a mailbox
//     fails between RCPT and DATA, and a duplicate beats a lost message.
func verdict(to []string, per map[string]error, err error) error {
	if err != nil {
		return errHandOver
	}
	var first error
	failed := 0
	for _, rcpt := range to {
		e, ok := per[rcpt]
		if !ok {
			e = errHandOver // no answer for it: not delivered
		}
		if e != nil {
			failed++
			if first == nil {
				first = e
			}
		}
	}
	switch {
	case failed == 0:
		return delivered
	case failed < len(to):
		return errPartial
	}
	if e, ok := mail.AsSMTPError(first); ok {
		return e
	}
	return errHandOver
}
