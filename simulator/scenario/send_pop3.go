package scenario

import (
	"context"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "send-pop3", Title: "scenario.send-pop3.title", Summary: "scenario.send-pop3.summary",
		Script: sendPOP3})
}

// sendPOP3: Alice writes to Bob; Bob's laptop fetches with POP3 and deletes.
func sendPOP3(ctx context.Context, s *Script) error {
	if err := s.aliceSends(ctx, demoSubject, mua.StartTLS); err != nil {
		return err
	}
	if err := s.relay(ctx); err != nil {
		return err
	}
	_, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS})
	return err
}
