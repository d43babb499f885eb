package mail

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"
)

// Reply renders an SMTP reply as it crossed the wire, one line:
// "550 5.1.1 <bob2@example.net>: Recipient address rejected: User unknown".
func Reply(e *smtp.SMTPError) string {
	msg := strings.ReplaceAll(e.Message, "\n", " ")
	c := e.EnhancedCode
	if c == smtp.NoEnhancedCode || c == smtp.EnhancedCodeNotSet {
		return fmt.Sprintf("%d %s", e.Code, msg)
	}
	return fmt.Sprintf("%d %d.%d.%d %s", e.Code, c[0], c[1], c[2], msg)
}

// AsSMTPError returns err's SMTP reply, if it carries one.
func AsSMTPError(err error) (*smtp.SMTPError, bool) {
	var e *smtp.SMTPError
	ok := errors.As(err, &e)
	return e, ok
}

// ParseReply builds the SMTPError for a reply read with net/textproto:
// msg may start with an enhanced status code (RFC 2034 §4).
func ParseReply(code int, msg string) *smtp.SMTPError {
	e := &smtp.SMTPError{Code: code, Message: msg}
	head, rest, ok := strings.Cut(msg, " ")
	var c smtp.EnhancedCode
	if n, err := fmt.Sscanf(head, "%d.%d.%d", &c[0], &c[1], &c[2]); ok && err == nil && n == 3 {
		e.EnhancedCode, e.Message = c, rest
	}
	return e
}
