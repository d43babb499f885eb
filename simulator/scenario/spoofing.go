package scenario

import (
	"context"
	"fmt"

	"maillab/simulator/mail"
	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func init() {
	register(Scenario{ID: "spoofing", Title: "scenario.spoofing.title", Summary: "scenario.spoofing.summary",
		Script: spoofing, World: withoutAuthChecks})
}

// withoutAuthChecks starts the world as mail servers were before SPF, DKIM
// and DMARC: mx.example.net believes whatever a client claims.
func withoutAuthChecks(o *world.Options) { o.NoAuthChecks = true }

// spoofing: a stranger connects straight to mx.example.net and claims to be
// alice@example.org, in MAIL FROM and in From:. SMTP checks neither
// (RFC 5321 §7.1), so the forgery lands in Bob's inbox. Then the MX turns
// its checks on: Alice's genuine mail comes from the address SPF allows
// and carries her provider's DKIM signature, so it passes; the forgery
// fails SPF, has no signature and is refused under example.org's DMARC
// policy p=reject with 550 5.7.1 (RFC 7489 §6.7).
//
// Where hosts cannot have their own loopback addresses (SingleAddress),
// the impostor and smtp.example.org share 127.0.0.1: the SPF record then
// allows nobody and only DKIM tells the two mails apart.
func spoofing(ctx context.Context, s *Script) error {
	if err := s.impostorForges(ctx, 1, 250); err != nil {
		return err
	}
	if _, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS}); err != nil {
		return err
	}
	if err := s.Act(ctx, "mx.example.net", "action.checks-on", nil); err != nil {
		return err
	}
	s.W.SetAuthChecks("example.net", true)
	if err := s.aliceSends(ctx, "Lunch on Friday?", mua.StartTLS); err != nil {
		return err
	}
	if err := s.relay(ctx); err != nil {
		return err
	}
	if err := s.impostorForges(ctx, 2, 550); err != nil {
		return err
	}
	_, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS})
	return err
}

// impostorForges sends a mail "from Alice" by hand, straight to Bob's MX,
// and expects want after the final dot; n numbers its Message-ID.
func (s *Script) impostorForges(ctx context.Context, n, want int) error {
	params := map[string]string{"from": "alice@example.org", "mx": "mx.example.net"}
	if err := s.Act(ctx, "impostor", "action.impostor-spoofs", params); err != nil {
		return err
	}
	r, err := s.dialSMTP(ctx, "impostor", "mx.example.net", 25)
	if err != nil {
		return err
	}
	defer r.Close()
	steps := []struct {
		want int
		line string
	}{
		{250, "EHLO " + addressLiteral(r.conn)},
		{250, "MAIL FROM:<alice@example.org>"},
		{250, "RCPT TO:<bob@example.net>"},
		{354, "DATA"},
	}
	for _, st := range steps {
		if _, err := r.expect(st.want, "%s", st.line); err != nil {
			return err
		}
	}
	if err := r.lines(forgedMail(s.W, n)); err != nil {
		return err
	}
	if _, err := r.expect(want, "."); err != nil {
		return err
	}
	_, err = r.expect(221, "QUIT")
	return err
}

// forgedMail looks like Alice's: only the way it travelled gives it away.
func forgedMail(w *world.World, n int) []string {
	return []string{
		"From: Alice <alice@example.org>",
		"To: Bob <bob@example.net>",
		"Subject: Urgent: please send me your password",
		mail.DateField(w.Now()),
		fmt.Sprintf("Message-ID: <forged-%d@example.org>", n),
		"",
		"Hi Bob,",
		"",
		"I lost my notes. Could you reply with your mail password?",
		"",
		"Alice",
	}
}
