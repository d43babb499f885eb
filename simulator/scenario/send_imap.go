package scenario

import (
	"context"
	"fmt"

	"github.com/emersion/go-imap/v2"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "send-imap", Title: "scenario.send-imap.title", Summary: "scenario.send-imap.summary",
		Script: sendIMAPThenRev2})
}

// sendIMAPThenRev2 is send-imap: sendIMAP (which pop3-vs-imap replays),
// then the phone once more in IMAP4rev2.
func sendIMAPThenRev2(ctx context.Context, s *Script) error {
	if err := sendIMAP(ctx, s); err != nil {
		return err
	}
	return s.phoneSpeaksRev2(ctx)
}

// sendIMAP: the phone idles and sees the new mail arrive; reading it on the
// laptop sets \Seen, and the phone sees that too.
func sendIMAP(ctx context.Context, s *Script) error {
	if err := s.Act(ctx, "bob-phone", "action.imap-open", nil); err != nil {
		return err
	}
	phone, err := s.W.Device("bob-phone").OpenIMAP(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	defer phone.Close()
	if err := phone.Sync(ctx); err != nil {
		return err
	}
	idle, err := s.idle(ctx, phone)
	if err != nil {
		return err
	}
	if err := s.aliceSends(ctx, demoSubject, mua.StartTLS); err != nil {
		return err
	}
	if err := s.relay(ctx); err != nil {
		return err
	}
	if err := <-idle; err != nil {
		return fmt.Errorf("phone IDLE: %w", err)
	}
	return s.laptopReads(ctx, phone)
}

// idle starts IDLE on the phone and lets it wait in the background.
func (s *Script) idle(ctx context.Context, phone *mua.IMAPSession) (<-chan error, error) {
	if err := s.Act(ctx, "bob-phone", "action.imap-idle", nil); err != nil {
		return nil, err
	}
	running, err := phone.StartIdle()
	if err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- running.WaitChange(ctx) }()
	return done, nil
}

func (s *Script) laptopReads(ctx context.Context, phone *mua.IMAPSession) error {
	if err := s.Act(ctx, "bob-laptop", "action.imap-open", nil); err != nil {
		return err
	}
	laptop, err := s.W.Device("bob-laptop").OpenIMAP(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	defer laptop.Close()
	if err := laptop.Sync(ctx); err != nil {
		return err
	}
	idle, err := s.idle(ctx, phone)
	if err != nil {
		return err
	}
	if err := s.Act(ctx, "bob-laptop", "action.imap-read", nil); err != nil {
		return err
	}
	uid, ok := firstUID(s.W.Device("bob-laptop"))
	if !ok {
		return fmt.Errorf("the laptop's IMAP sync found no message to read")
	}
	if err := laptop.Read(ctx, uid); err != nil {
		return err
	}
	if err := <-idle; err != nil {
		return fmt.Errorf("phone IDLE: %w", err)
	}
	if err := laptop.Logout(); err != nil {
		return err
	}
	return phone.Logout()
}

// phoneSpeaksRev2 shows IMAP4rev2 once: the phone's next session sends
// ENABLE IMAP4rev2, and SELECT and SEARCH answer in the new revision's
// form (RFC 9051 Appendix E): no RECENT, no [UNSEEN], a LIST line, and
// ESEARCH instead of SEARCH.
func (s *Script) phoneSpeaksRev2(ctx context.Context) error {
	if err := s.Act(ctx, "bob-phone", "action.imap-rev2", nil); err != nil {
		return err
	}
	phone, err := s.W.Device("bob-phone").OpenIMAP4rev2(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	defer phone.Close()
	if _, err := phone.Unseen(ctx); err != nil {
		return err
	}
	return phone.Logout()
}

// firstUID is the UID of the first message the device knows over IMAP.
func firstUID(d *mua.Device) (imap.UID, bool) {
	for _, m := range d.Messages() {
		var uid uint32
		if _, err := fmt.Sscanf(m.Key, "imap:%d", &uid); err == nil {
			return imap.UID(uid), true
		}
	}
	return 0, false
}
