package scenario

import (
	"context"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "pop3-two-devices", Title: "scenario.pop3-two-devices.title",
		Summary: "scenario.pop3-two-devices.summary", Script: pop3TwoDevices})
}

// pop3TwoDevices: the laptop downloads and deletes, so the phone finds
// nothing; then the same with "leave a copy on the server", and both get it.
func pop3TwoDevices(ctx context.Context, s *Script) error {
	for _, keep := range []bool{false, true} {
		subject := demoSubject
		if keep {
			if err := s.Act(ctx, "bob-laptop", "action.setting-leave-copy", nil); err != nil {
				return err
			}
			subject = "Noch einmal: Grüße aus Kraków"
		}
		if err := s.aliceSends(ctx, subject, mua.StartTLS); err != nil {
			return err
		}
		if err := s.relay(ctx); err != nil {
			return err
		}
		for _, dev := range []string{"bob-laptop", "bob-phone"} {
			if _, err := s.pop3Fetch(ctx, dev, mua.POP3Options{Security: mua.StartTLS, LeaveCopy: keep}); err != nil {
				return err
			}
		}
	}
	return nil
}
