package conductor

import "maillab/simulator/event"

// eventLog keeps the run's events in fixed blocks, oldest first. Appending
// never copies what is kept (one growing slice of events copied the whole
// log each time it grew, and again each time the budget dropped its
// oldest part); dropping from the front frees whole blocks.
type eventLog struct {
	blocks [][]logEntry // every block but the last is full
	head   int          // entries of blocks[0] already dropped
	n      int          // entries kept
}

type logEntry struct {
	ev   event.Event
	size int32 // the event's part of the run's size
}

const logBlock = 512

func (l *eventLog) len() int { return l.n }

func (l *eventLog) push(ev *event.Event, size int32) {
	last := len(l.blocks) - 1
	if last < 0 || len(l.blocks[last]) == logBlock {
		l.blocks = append(l.blocks, make([]logEntry, 0, logBlock))
		last++
	}
	l.blocks[last] = append(l.blocks[last], logEntry{ev: *ev, size: size})
	l.n++
}

// at is the i-th kept entry, 0 the oldest.
func (l *eventLog) at(i int) *logEntry {
	i += l.head
	return &l.blocks[i/logBlock][i%logBlock]
}

// dropFront forgets the k oldest entries.
func (l *eventLog) dropFront(k int) {
	k = min(k, l.n)
	for i := range k {
		*l.at(i) = logEntry{} // let go of its strings and bytes now
	}
	l.n -= k
	l.head += k
	if full := l.head / logBlock; full > 0 {
		clear(l.blocks[:full])
		l.blocks = append(l.blocks[:0], l.blocks[full:]...)
		l.head -= full * logBlock
	}
	if l.n == 0 {
		l.blocks, l.head = nil, 0
	}
}

// events copies the kept events from i to j (0 the oldest).
func (l *eventLog) events(i, j int) []event.Event {
	out := make([]event.Event, 0, max(j-i, 0))
	for k := i; k < j; k++ {
		out = append(out, l.at(k).ev)
	}
	return out
}
