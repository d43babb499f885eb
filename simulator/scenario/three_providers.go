package scenario

import (
	"context"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func init() {
	register(Scenario{ID: "three-providers", Title: "scenario.three-providers.title",
		Summary: "scenario.three-providers.summary", Script: threeProviders, World: withThirdProvider})
}

// withThirdProvider runs example.com beside the other two, with Erin's
// account and laptop.
func withThirdProvider(o *world.Options) {
	simulatedTime(o)
	o.ThirdProvider = true
}

// threeProviders: one mail from Alice to Bob (example.net) and Erin
// (example.com). The MSA takes both recipients in one transaction; the
// queue splits the envelope by domain, asks DNS for each domain's MX and
// delivers in two SMTP sessions, each MX checking SPF, DKIM and DMARC
// for itself. Bob and Erin each fetch their copy.
func threeProviders(ctx context.Context, s *Script) error {
	d := aliceToBob(s.W.Now(), "Treffen in Kraków")
	d.To = []string{"bob@example.net", "erin@example.com"}
	d.Body = "Hi Bob, hi Erin,\r\n\r\nshall we meet in Kraków in June?\r\n\r\nAlice\r\n"
	params := map[string]string{"subject": d.Subject, "to": d.To[0], "to2": d.To[1]}
	if err := s.aliceSendsDraft(ctx, "action.alice-sends-two-providers", d, mua.StartTLS, params); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	if _, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS}); err != nil {
		return err
	}
	_, err := s.pop3FetchAs(ctx, "erin-laptop", "Erin")
	return err
}
