package scenario

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-smtp"
)

func init() {
	register(Scenario{ID: "relay-denied", Title: "scenario.relay-denied.title",
		Summary: "scenario.relay-denied.summary", Script: relayDenied})
}

const (
	// spammer is the envelope sender the impostor claims (RFC 2606 name).
	spammer = "deals@cheap-watches.example"
	// thirdParty is a recipient at neither provider.
	thirdParty = "carol@example.com"
)

// relayDenied: a stranger connects straight to mx.example.net and asks it
// to pass a mail on to someone at another domain. An MX takes mail only for
// its own domain; anything else would make it an open relay
// (RFC 5321 §3.6.2, §7.1), so it answers 550 5.7.1 and the stranger quits.
func relayDenied(ctx context.Context, s *Script) error {
	params := map[string]string{"mx": "mx.example.net", "to": thirdParty}
	if err := s.Act(ctx, "impostor", "action.impostor-relays", params); err != nil {
		return err
	}
	conn, err := s.W.DialService(ctx, "impostor", "mx.example.net", 25)
	if err != nil {
		return err
	}
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	c := smtp.NewClient(conn)
	c.CommandTimeout, c.SubmissionTimeout = 30*time.Minute, 30*time.Minute
	defer c.Close()
	if err := c.Hello(addressLiteral(conn)); err != nil {
		return err
	}
	if err := c.Mail(spammer, nil); err != nil {
		return err
	}
	err = c.Rcpt(thirdParty, nil)
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 550 {
		return fmt.Errorf("scenario: mx.example.net answered RCPT to %s with %v, want 550", thirdParty, err)
	}
	return c.Quit()
}
