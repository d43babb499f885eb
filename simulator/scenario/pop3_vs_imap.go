package scenario

import (
	"context"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "pop3-vs-imap", Title: "scenario.pop3-vs-imap.title",
		Summary: "scenario.pop3-vs-imap.summary", Script: pop3VsIMAP})
}

// pop3VsIMAP is lesson 5 in one run: with POP3 the laptop downloads and
// deletes, so the phone finds nothing; Bob switches both devices to IMAP,
// and now the phone sees the next mail arrive and the \Seen flag set on
// the laptop.
func pop3VsIMAP(ctx context.Context, s *Script) error {
	if err := s.aliceSends(ctx, demoSubject, mua.StartTLS); err != nil {
		return err
	}
	if err := s.relay(ctx); err != nil {
		return err
	}
	for _, dev := range []string{"bob-laptop", "bob-phone"} {
		if _, err := s.pop3Fetch(ctx, dev, mua.POP3Options{Security: mua.StartTLS}); err != nil {
			return err
		}
	}
	if err := s.Act(ctx, "bob-laptop", "action.switch-to-imap", nil); err != nil {
		return err
	}
	return sendIMAP(ctx, s)
}
