package scenario

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "imap-resync", Title: "scenario.imap-resync.title",
		Summary: "scenario.imap-resync.summary", Script: imapResync})
}

// The three mails already in Bob's INBOX when the run starts.
var resyncSubjects = []string{demoSubject, "Photos from the trip", "Train times"}

// imapResync: the phone syncs INBOX once and remembers it (UIDVALIDITY,
// HIGHESTMODSEQ, UIDs). While it is offline, Bob reads one mail on the
// laptop, flags another and deletes the third. The phone reconnects with
// SELECT INBOX (QRESYNC (…)) and gets only those three changes
// (RFC 7162 §3.2.5). Then it idles, and when the laptop deletes one more
// mail the phone hears "* VANISHED uid" where the laptop hears
// "* n EXPUNGE" (§3.2.10).
func imapResync(ctx context.Context, s *Script) error {
	if err := s.bobHasMail(ctx); err != nil {
		return err
	}
	phone := s.W.Device("bob-phone")
	if err := s.Act(ctx, "bob-phone", "action.imap-open-cache", nil); err != nil {
		return err
	}
	first, err := phone.OpenIMAPResync(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	if !first.QResync() {
		first.Close()
		return fmt.Errorf("mail.example.net does not offer QRESYNC (RFC 7162)")
	}
	if err := first.Logout(); err != nil {
		return err
	}
	if err := s.noteCache(ctx, "state.device-cached"); err != nil {
		return err
	}
	laptop, err := s.laptopChanges(ctx)
	if err != nil {
		return err
	}
	defer laptop.Close()
	if err := s.Act(ctx, "bob-phone", "action.imap-resync", nil); err != nil {
		return err
	}
	second, err := phone.OpenIMAPResync(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	defer second.Close()
	if err := s.noteCache(ctx, "state.device-resynced"); err != nil {
		return err
	}
	return s.laptopDeletesWhilePhoneIdles(ctx, laptop, second)
}

// bobHasMail puts three mails from Alice into Bob's INBOX without traffic:
// how mail gets there is lesson 1, and this lesson starts after it.
func (s *Script) bobHasMail(ctx context.Context) error {
	st := s.W.Provider("example.net").Store
	for i, subject := range resyncSubjects {
		date := s.W.Now().Add(time.Duration(i-len(resyncSubjects)) * time.Hour)
		raw, err := aliceToBob(date, subject).Compose()
		if err != nil {
			return err
		}
		if _, err := st.Deliver("bob@example.net", "INBOX", raw, nil, date); err != nil {
			return err
		}
	}
	return s.W.Note(ctx, "mail.example.net", "state.inbox-has-mail",
		map[string]string{"count": strconv.Itoa(len(resyncSubjects))})
}

// laptopChanges: on the laptop Bob reads the first mail (\Seen), flags
// the second (\Flagged) and deletes the third (EXPUNGE). The laptop stays
// connected.
func (s *Script) laptopChanges(ctx context.Context) (*mua.IMAPSession, error) {
	if err := s.Act(ctx, "bob-laptop", "action.imap-open", nil); err != nil {
		return nil, err
	}
	laptop, err := s.W.Device("bob-laptop").OpenIMAP(ctx, mua.StartTLS)
	if err != nil {
		return nil, err
	}
	if err := laptop.Sync(ctx); err != nil {
		laptop.Close()
		return nil, err
	}
	mails := s.W.Device("bob-laptop").Messages()
	if len(mails) != len(resyncSubjects) {
		laptop.Close()
		return nil, fmt.Errorf("the laptop found %d messages, want %d", len(mails), len(resyncSubjects))
	}
	uids := imapUIDs(s.W.Device("bob-laptop"))
	steps := []struct {
		code string
		do   func() error
	}{
		{"action.imap-read-mail", func() error { return laptop.Read(ctx, uids[0]) }},
		{"action.imap-flag", func() error { return laptop.SetFlag(ctx, uids[1], imap.FlagFlagged) }},
		{"action.imap-delete", func() error { return laptop.Delete(ctx, uids[2]) }},
	}
	for i, st := range steps {
		err := s.Act(ctx, "bob-laptop", st.code, map[string]string{"subject": mails[i].Subject})
		if err == nil {
			err = st.do()
		}
		if err != nil {
			laptop.Close()
			return nil, err
		}
	}
	return laptop, nil
}

// laptopDeletesWhilePhoneIdles: the phone idles; Bob deletes the mail he
// read on the laptop; the phone is told by UID.
func (s *Script) laptopDeletesWhilePhoneIdles(ctx context.Context, laptop, phone *mua.IMAPSession) error {
	uids := imapUIDs(s.W.Device("bob-laptop"))
	if len(uids) == 0 {
		return fmt.Errorf("the laptop has no message left to delete")
	}
	gone := func() bool { return !slices.Contains(imapUIDs(s.W.Device("bob-phone")), uids[0]) }
	if err := s.Act(ctx, "bob-phone", "action.imap-idle", nil); err != nil {
		return err
	}
	running, err := phone.StartIdle()
	if err != nil {
		return err
	}
	// The laptop's STORE \Deleted reaches the phone as a FETCH first; the
	// phone stays in IDLE until the VANISHED for that UID.
	idle := make(chan error, 1)
	go func() { idle <- running.WaitFor(ctx, gone) }()
	subject := ""
	for _, m := range s.W.Device("bob-laptop").Messages() {
		if m.Key == fmt.Sprintf("imap:%d", uids[0]) {
			subject = m.Subject
		}
	}
	if err := s.Act(ctx, "bob-laptop", "action.imap-delete", map[string]string{"subject": subject}); err != nil {
		return err
	}
	if err := laptop.Delete(ctx, uids[0]); err != nil {
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

// noteCache shows what the phone now remembers of INBOX.
func (s *Script) noteCache(ctx context.Context, code string) error {
	c, _ := s.W.Device("bob-phone").IMAPCache("INBOX")
	var set imap.UIDSet
	for _, uid := range c.UIDs {
		set.AddNum(uid)
	}
	uids := set.String()
	if uids == "" {
		uids = "-"
	}
	return s.W.Note(ctx, "bob-phone", code, map[string]string{
		"modseq": strconv.FormatUint(c.HighestModSeq, 10), "uids": uids, "count": strconv.Itoa(len(c.UIDs))})
}
