package scenario

import (
	"context"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "tls", Title: "scenario.tls.title", Summary: "scenario.tls.summary", Script: tlsTour})
}

// tlsTour sends over 587 with STARTTLS and over 465 with implicit TLS, then
// reads with POP3 on 110 (STLS) and 995, and IMAP on 143 (STARTTLS) and 993.
func tlsTour(ctx context.Context, s *Script) error {
	for _, sec := range []mua.Security{mua.StartTLS, mua.Implicit} {
		if err := s.aliceSends(ctx, demoSubject, sec); err != nil {
			return err
		}
	}
	if err := s.relay(ctx); err != nil {
		return err
	}
	for _, sec := range []mua.Security{mua.StartTLS, mua.Implicit} {
		if _, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: sec, LeaveCopy: true}); err != nil {
			return err
		}
	}
	for _, sec := range []mua.Security{mua.StartTLS, mua.Implicit} {
		if err := s.imapLook(ctx, sec); err != nil {
			return err
		}
	}
	return nil
}

func (s *Script) imapLook(ctx context.Context, sec mua.Security) error {
	if err := s.Act(ctx, "bob-phone", "action.imap-open", map[string]string{"security": string(sec)}); err != nil {
		return err
	}
	phone, err := s.W.Device("bob-phone").OpenIMAP(ctx, sec)
	if err != nil {
		return err
	}
	if err := phone.Sync(ctx); err != nil {
		phone.Close()
		return err
	}
	return phone.Logout()
}
