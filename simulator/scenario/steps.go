package scenario

import (
	"context"
	"strconv"

	"maillab/simulator/mua"
)

// Reusable steps. Each logs its action, then drives the agents and waits
// until their traffic is done, so the run is the same every time.

func (s *Script) aliceSends(ctx context.Context, subject string, sec mua.Security) error {
	params := map[string]string{"subject": subject, "to": "bob@example.net", "security": string(sec)}
	if err := s.Act(ctx, "alice-laptop", "action.alice-sends", params); err != nil {
		return err
	}
	return s.W.Device("alice-laptop").Submit(ctx, aliceToBob(s.W.Now(), subject), mua.SubmitOptions{Security: sec})
}

func (s *Script) relay(ctx context.Context) error {
	if err := s.Act(ctx, "smtp.example.org", "action.queue-runs", nil); err != nil {
		return err
	}
	return s.W.Provider("example.org").Queue.Flush(ctx)
}

func (s *Script) pop3Fetch(ctx context.Context, device string, opts mua.POP3Options) (int, error) {
	code := "action.pop3-fetch"
	if opts.LeaveCopy {
		code = "action.pop3-fetch-keep"
	}
	if err := s.Act(ctx, device, code, map[string]string{"security": string(opts.Security)}); err != nil {
		return 0, err
	}
	n, err := s.W.Device(device).FetchPOP3(ctx, opts)
	if err != nil {
		return n, err
	}
	return n, s.W.Note(ctx, device, "state.device-fetched", map[string]string{"count": strconv.Itoa(n)})
}
