package scenario

import (
	"context"
	"fmt"

	"maillab/simulator/mua"
)

func init() {
	register(Scenario{ID: "retry", Title: "scenario.retry.title", Summary: "scenario.retry.summary",
		Script: retry, World: simulatedTime})
	register(Scenario{ID: "retry-giveup", Title: "scenario.retry-giveup.title",
		Summary: "scenario.retry-giveup.summary", Script: retryGiveUp, World: simulatedTime})
}

// retry: mx.example.net is down when the queue first tries, so the mail is
// deferred, not lost (RFC 5321 §4.5.4.1); the MX comes back, and the next
// retry delivers it. Bob then fetches it.
func retry(ctx context.Context, s *Script) error {
	if err := s.setMX(ctx, false); err != nil {
		return err
	}
	if err := s.aliceSends(ctx, demoSubject, mua.StartTLS); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	if err := s.setMX(ctx, true); err != nil {
		return err
	}
	if ok, err := s.waitForRetry(ctx); err != nil || !ok {
		return retryErr(err)
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	_, err := s.pop3Fetch(ctx, "bob-laptop", mua.POP3Options{Security: mua.StartTLS})
	return err
}

// maxRetries bounds the give-up loop; the queue's default schedule gives up
// after its sixth attempt.
const maxRetries = 10

// retryGiveUp: the MX stays down; the queue retries on its schedule until
// it gives up, and Alice gets a bounce with the last temporary error.
func retryGiveUp(ctx context.Context, s *Script) error {
	if err := s.setMX(ctx, false); err != nil {
		return err
	}
	if err := s.aliceSends(ctx, demoSubject, mua.StartTLS); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	for i := 0; ; i++ {
		ok, err := s.waitForRetry(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if i == maxRetries {
			return fmt.Errorf("scenario: the queue still retries after %d attempts", maxRetries)
		}
		if err := s.queueRuns(ctx); err != nil {
			return err
		}
	}
	return s.aliceChecksMail(ctx)
}

func retryErr(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("scenario: nothing waits for a retry")
}
