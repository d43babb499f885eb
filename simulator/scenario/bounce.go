package scenario

import (
	"context"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "bounce", Title: "scenario.bounce.title", Summary: "scenario.bounce.summary",
		Script: bounce, World: simulatedTime})
}

// nobody is an address at Bob's provider that has no mailbox.
const nobody = "nobody@example.net"

// bounce: Alice writes to an address that does not exist; mx.example.net
// refuses it at RCPT with 550 5.1.1, so smtp.example.org returns a
// delivery status notification (RFC 3464) to Alice, who reads it.
func bounce(ctx context.Context, s *Script) error {
	d := aliceToBob(s.W.Now(), "Kraków photos")
	d.To = []string{nobody}
	d.Body = "Hi,\r\n\r\nhere are the photos from Kraków.\r\n\r\nAlice\r\n"
	params := map[string]string{"subject": d.Subject, "to": nobody, "security": string(mua.StartTLS)}
	if err := s.aliceSendsDraft(ctx, "action.alice-sends", d, mua.StartTLS, params); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	return s.aliceChecksMail(ctx)
}
