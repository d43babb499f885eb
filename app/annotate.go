package app

import (
	"sync"

	"maillab/lessons/explain"
	"maillab/simulator/event"
)

// Line is an event as the UI receives it: the event itself and what it
// means (for lines, packets and TLS records). The frontend renders the
// explanation from the catalog in the chosen language: the text of Key,
// then of each of Details, joined by spaces, with Params filled in.
type Line struct {
	event.Event
	Explain *explain.Explanation `json:"explain,omitempty"`
}

// annotator explains every event of one run, one tracker per connection,
// and remembers the explanations by Seq for history requests.
type annotator struct {
	mu       sync.Mutex
	trackers map[uint64]*explain.Tracker
	bySeq    map[uint64]*explain.Explanation
}

func newAnnotator() *annotator {
	return &annotator{trackers: map[uint64]*explain.Tracker{}, bySeq: map[uint64]*explain.Explanation{}}
}

// annotate is called in log order (from the conductor's subscriber).
func (a *annotator) annotate(ev event.Event) Line {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch ev.Kind {
	case event.KindLine, event.KindPacket, event.KindTLS:
	default:
		return Line{Event: ev}
	}
	t := a.trackers[ev.Conn]
	if t == nil {
		t = explain.NewTracker()
		a.trackers[ev.Conn] = t
	}
	x := t.Explain(ev)
	if x.Key == "" {
		return Line{Event: ev}
	}
	a.bySeq[ev.Seq] = &x
	return Line{Event: ev, Explain: &x}
}

// line wraps a logged event with its remembered explanation.
func (a *annotator) line(ev event.Event) Line {
	a.mu.Lock()
	defer a.mu.Unlock()
	return Line{Event: ev, Explain: a.bySeq[ev.Seq]}
}
