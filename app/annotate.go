package app

import (
	"slices"
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
	// WireSeq, set instead of Wire, names the earlier event that carries
	// the same TLS record: one record carries many lines, and sending it
	// with each would multiply it.
	WireSeq uint64 `json:"wireSeq,omitempty"`
}

// annotator explains every event of one run, one tracker per connection,
// and remembers the explanations by Seq for history requests, as long as
// the conductor keeps their events.
type annotator struct {
	mu       sync.Mutex
	trackers map[uint64]*explain.Tracker
	// lastX is each connection's last explanation: an equal one for its
	// next line is the same pointer (a message body's lines all have one),
	// so the run keeps one copy, not one per line.
	lastX map[uint64]*explain.Explanation
	// expl[i] explains event base+i (nil: nothing to say).
	base  uint64
	expl  []*explain.Explanation
	first func() uint64 // the oldest seq the conductor still keeps
	wires wireShare     // for pushed lines
}

func newAnnotator(first func() uint64) *annotator {
	return &annotator{trackers: map[uint64]*explain.Tracker{}, lastX: map[uint64]*explain.Explanation{},
		base: 1, first: first}
}

// annotate is called in log order (from the conductor's subscriber), once
// for every event.
func (a *annotator) annotate(ev event.Event) Line {
	a.mu.Lock()
	defer a.mu.Unlock()
	x := a.explain(ev)
	a.remember(ev.Seq, x)
	return a.wires.share(Line{Event: ev, Explain: x})
}

func (a *annotator) explain(ev event.Event) *explain.Explanation {
	switch ev.Kind {
	case event.KindLine, event.KindPacket, event.KindTLS, event.KindSkip:
	case event.KindClose:
		delete(a.trackers, ev.Conn) // nothing follows on it
		delete(a.lastX, ev.Conn)
		a.wires.forget(ev.Conn)
		return nil
	default:
		return nil
	}
	t := a.trackers[ev.Conn]
	if t == nil {
		t = explain.NewTracker()
		a.trackers[ev.Conn] = t
	}
	x := t.Explain(ev)
	if x.Key == "" {
		return nil
	}
	if last := a.lastX[ev.Conn]; last != nil && sameExplanation(last, &x) {
		return last
	}
	p := new(explain.Explanation) // only a new one goes to the heap
	*p = x
	a.lastX[ev.Conn] = p
	return p
}

// sameExplanation: a and b say the same (the event stream leaves out an
// explanation equal to the one of the connection's line before).
func sameExplanation(a, b *explain.Explanation) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Key != b.Key || a.RFC != b.RFC || a.Class != b.Class || a.Generic != b.Generic ||
		len(a.Params) != len(b.Params) || !slices.Equal(a.Details, b.Details) {
		return false
	}
	for k, v := range a.Params {
		if w, ok := b.Params[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// remember keeps x for seq and lets go of what the conductor dropped.
func (a *annotator) remember(seq uint64, x *explain.Explanation) {
	if seq < a.base {
		return
	}
	for uint64(len(a.expl)) < seq-a.base {
		a.expl = append(a.expl, nil) // an event logged before we subscribed
	}
	a.expl = append(a.expl, x)
	if len(a.expl)%1024 != 0 || a.first == nil {
		return
	}
	if drop := a.first() - a.base; a.first() > a.base && drop > uint64(len(a.expl)/4) {
		drop = min(drop, uint64(len(a.expl)))
		a.expl = append([]*explain.Explanation(nil), a.expl[drop:]...)
		a.base += drop
	}
}

// line wraps a logged event with its remembered explanation.
func (a *annotator) line(ev event.Event) Line {
	a.mu.Lock()
	defer a.mu.Unlock()
	var x *explain.Explanation
	if ev.Seq >= a.base && ev.Seq-a.base < uint64(len(a.expl)) {
		x = a.expl[ev.Seq-a.base]
	}
	return Line{Event: ev, Explain: x}
}

// wireShare sends each TLS record once per connection: a line whose record
// the previous line of its connection carried names that line instead.
type wireShare map[uint64]sharedWire

type sharedWire struct {
	first *byte
	seq   uint64
}

func (w *wireShare) share(l Line) Line {
	if len(l.Wire) == 0 || l.Conn == 0 {
		return l
	}
	if *w == nil {
		*w = wireShare{}
	}
	p := &l.Wire[0]
	if prev, ok := (*w)[l.Conn]; ok && prev.first == p {
		l.Wire, l.WireSeq = nil, prev.seq
		return l
	}
	(*w)[l.Conn] = sharedWire{first: p, seq: l.Seq}
	return l
}

func (w wireShare) forget(conn uint64) { delete(w, conn) }
