package classroom

import (
	"context"
	"regexp"
	"time"

	"maillab/simulator/mta"
)

// statusRE finds an enhanced status code (RFC 3463) in a reply.
var statusRE = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)

// noteItem turns a queue item's change into delivery events: one per
// recipient and outcome (a deferral once per attempt).
func (s *Student) noteItem(it mta.Item) {
	for _, r := range it.To {
		var outcome, fallback string
		switch r.State {
		case mta.StateSent:
			outcome, fallback = Delivered, "2.0.0"
		case mta.StateDeferred:
			outcome, fallback = Deferred, "4.0.0"
		case mta.StateBounced, mta.StateFailed:
			outcome, fallback = Bounced, "5.0.0"
		default:
			continue
		}
		// One event per recipient and attempt: the queue tells of an item
		// on every change. A recipient's last deferral is remembered until
		// it is done; a finished one costs a few bytes for the session.
		key := it.ID + "|" + r.Addr
		var dup bool
		s.mu.Lock()
		if outcome == Deferred {
			dup = s.deferred[key] == it.Attempts
			s.deferred[key] = it.Attempts
		} else {
			delete(s.deferred, key)
			dup = s.finished[key]
			s.finished[key] = true
		}
		s.mu.Unlock()
		if dup {
			continue
		}
		status := r.Status
		if status == "" {
			status = statusRE.FindString(r.Reply)
		}
		if status == "" {
			status = fallback
		}
		select {
		case s.events <- Event{From: s.Domain, To: it.Domain, Time: s.opts.Now(), Outcome: outcome, Status: status}:
		default: // the host is far behind: the map misses this one, mail does not
		}
	}
}

// report sends events to the host in batches until Stop, then what is
// left, briefly; between them, a heartbeat (Alive) every HeartbeatMS.
func (s *Student) report() {
	defer close(s.repDone)
	every := time.Duration(s.HeartbeatMS) * time.Millisecond
	if every <= 0 {
		every = DefaultHeartbeat
	}
	beat := time.NewTicker(every)
	defer beat.Stop()
	for {
		select {
		case e := <-s.events:
			s.send(context.Background(), s.batch(e))
		case <-beat.C:
			s.Alive(context.Background()) // a host that is gone hears nothing: the room map says so
		case <-s.stopRep:
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			for {
				select {
				case e := <-s.events:
					s.send(ctx, s.batch(e))
				default:
					return
				}
			}
		}
	}
}

func (s *Student) batch(first Event) []Event {
	out := []Event{first}
	for len(out) < maxReport {
		select {
		case e := <-s.events:
			out = append(out, e)
		default:
			return out
		}
	}
	return out
}

// send reports events; a refusal or an unreachable host loses them (the
// map is a picture of the room, not a log the mail depends on).
func (s *Student) send(ctx context.Context, events []Event) {
	if s.opts.Watch != nil {
		for _, e := range events {
			s.opts.Watch(e)
		}
	}
	s.call(ctx, "/events", struct {
		Events []Event `json:"events"`
	}{events}, nil)
}

// Alive tells the host this provider is still there (POST /alive): a
// Maillab that stops without leaving (killed, the laptop closed) falls
// silent, and the room map shows it as not answering after MissedBeats
// heartbeats. Ready sends one every heartbeat until Stop.
func (s *Student) Alive(ctx context.Context) error { return s.call(ctx, "/alive", struct{}{}, nil) }
