package scenario

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// Steps of the lessons about what goes wrong: the queue reports what each
// run did, and time can be made to pass.

// simulatedTime gives the world a queue clock that stands still until a
// step moves it, and makes the agents' Date and Received fields follow it:
// a retry schedule of minutes and hours plays in a few steps, and a run is
// the same every time.
func simulatedTime(o *world.Options) {
	start := time.Now()
	if o.Now != nil {
		start = o.Now()
	}
	c := mta.NewFakeClock(start.Truncate(time.Second))
	o.Clock, o.Now = c, c.Now
}

// queueRuns flushes smtp.example.org's queue once and notes what became
// of every item it touched: sent, deferred (with the next retry) or
// bounced.
func (s *Script) queueRuns(ctx context.Context) error {
	const host = "smtp.example.org"
	if err := s.Act(ctx, host, "action.queue-runs", nil); err != nil {
		return err
	}
	q := s.W.Provider("example.org").Queue
	before := map[string]mta.Item{}
	for _, it := range q.Snapshot() {
		before[it.ID+"/"+it.Domain] = it
	}
	if err := q.Flush(ctx); err != nil {
		return err
	}
	for _, it := range q.Snapshot() {
		old, seen := before[it.ID+"/"+it.Domain]
		if seen && old.State == it.State && old.Attempts == it.Attempts {
			continue
		}
		if code, params := queueNote(it, s.W.Now()); code != "" {
			if err := s.W.Note(ctx, host, code, params); err != nil {
				return err
			}
		}
	}
	return nil
}

func queueNote(it mta.Item, now time.Time) (string, map[string]string) {
	to := make([]string, len(it.To))
	for i, r := range it.To {
		to[i] = r.Addr
	}
	p := map[string]string{"id": it.ID, "to": strings.Join(to, ", "), "attempts": strconv.Itoa(it.Attempts)}
	switch it.State {
	case mta.StateSent:
		p["mx"] = it.MX
		return "state.queue-sent", p
	case mta.StateDeferred:
		p["error"] = it.LastError
		p["minutes"] = strconv.Itoa(int(it.NextRetry.Sub(now).Round(time.Minute) / time.Minute))
		return "state.queue-deferred", p
	case mta.StateBounced:
		p["reply"] = it.To[0].Reply
		if it.Expired {
			p["age"] = worldspec.Duration(now.Sub(it.Arrived).Round(time.Minute)).String()
			return "state.queue-expired", p
		}
		return "state.queue-bounced", p
	}
	return "", nil
}

// errNoFakeClock: the retry lessons need a world built with simulatedTime.
var errNoFakeClock = errors.New("scenario: time can only pass on a simulated clock")

// waitForRetry lets simulated time pass until the queue's next retry is due
// (RFC 5321 §4.5.4.1); ok is false when nothing waits for one.
func (s *Script) waitForRetry(ctx context.Context) (ok bool, err error) {
	clock, isFake := s.W.Clock().(*mta.FakeClock)
	if !isFake {
		return false, errNoFakeClock
	}
	var next time.Time
	for _, it := range s.W.Provider("example.org").Queue.Snapshot() {
		if it.State == mta.StateDeferred && (next.IsZero() || it.NextRetry.Before(next)) {
			next = it.NextRetry
		}
	}
	if next.IsZero() {
		return false, nil
	}
	wait := max(next.Sub(clock.Now()), 0)
	params := map[string]string{"minutes": strconv.Itoa(int(wait.Round(time.Minute) / time.Minute))}
	if err := s.Act(ctx, "smtp.example.org", "action.time-passes", params); err != nil {
		return false, err
	}
	clock.Advance(wait)
	return true, nil
}

// setMX takes mx.example.net off the network or brings it back.
func (s *Script) setMX(ctx context.Context, up bool) error {
	code := "action.mx-down"
	if up {
		code = "action.mx-up"
	}
	if err := s.Act(ctx, "mx.example.net", code, nil); err != nil {
		return err
	}
	if err := s.W.SetMXUp("example.net", up); err != nil && ctx.Err() == nil {
		return err
	}
	return ctx.Err() // a reset closed the world under us: not a failure
}

// aliceChecksMail opens Alice's INBOX over IMAP and reads every message in
// it (FETCH BODY[]), so a bounce she got shows on the wire.
func (s *Script) aliceChecksMail(ctx context.Context) error {
	if err := s.Act(ctx, "alice-laptop", "action.alice-checks-mail", nil); err != nil {
		return err
	}
	dev := s.W.Device("alice-laptop")
	sess, err := dev.OpenIMAP(ctx, mua.StartTLS)
	if err != nil {
		return err
	}
	defer sess.Close()
	if err := sess.Sync(ctx); err != nil {
		return err
	}
	for _, uid := range imapUIDs(dev) {
		if err := sess.Read(ctx, uid); err != nil {
			return err
		}
	}
	return sess.Logout()
}

// aliceSendsDraft logs an action and submits a draft from Alice's laptop.
func (s *Script) aliceSendsDraft(ctx context.Context, code string, d mua.Draft, sec mua.Security, params map[string]string) error {
	if err := s.Act(ctx, "alice-laptop", code, params); err != nil {
		return err
	}
	return s.W.Device("alice-laptop").Submit(ctx, d, mua.SubmitOptions{Security: sec})
}

// pop3FetchAs is pop3Fetch for a user other than Bob.
func (s *Script) pop3FetchAs(ctx context.Context, device, name string) (int, error) {
	if err := s.Act(ctx, device, "action.pop3-fetch-user", map[string]string{"name": name}); err != nil {
		return 0, err
	}
	n, err := s.W.Device(device).FetchPOP3(ctx, mua.POP3Options{Security: mua.StartTLS})
	if err != nil {
		return n, err
	}
	return n, s.W.Note(ctx, device, "state.device-fetched", map[string]string{"count": strconv.Itoa(n)})
}
