package scenario

import (
	"context"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func init() {
	register(Scenario{ID: "bcc", Title: "scenario.bcc.title", Summary: "scenario.bcc.summary",
		Script: bcc, World: withCarolAndDave})
}

func withCarolAndDave(o *world.Options) {
	simulatedTime(o)
	o.ExtraDevices = true
}

// bccDraft: Bob in To, Carol in Cc, Dave in Bcc.
func bccDraft(s *Script) mua.Draft {
	d := aliceToBob(s.W.Now(), "Treffen am Freitag")
	d.Cc = []string{"carol@example.net"}
	d.Bcc = []string{"dave@example.net"}
	d.Body = "Hi all,\r\n\r\nshall we meet on Friday at six?\r\n\r\nAlice\r\n"
	return d
}

// bcc: the envelope carries all three recipients (three RCPT TO at the MSA,
// one transaction with three RCPT TO at mx.example.net), but the header
// names only To and Cc: Bcc never leaves Alice's laptop (RFC 5322 §3.6.3),
// so Bob and Carol cannot see that Dave got a copy. Each of them fetches.
func bcc(ctx context.Context, s *Script) error {
	d := bccDraft(s)
	params := map[string]string{"subject": d.Subject, "to": d.To[0], "cc": d.Cc[0], "bcc": d.Bcc[0]}
	if err := s.aliceSendsDraft(ctx, "action.alice-sends-bcc", d, mua.StartTLS, params); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	if _, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS}); err != nil {
		return err
	}
	for _, u := range []struct{ device, name string }{{"carol-laptop", "Carol"}, {"dave-laptop", "Dave"}} {
		if _, err := s.pop3FetchAs(ctx, u.device, u.name); err != nil {
			return err
		}
	}
	return nil
}
