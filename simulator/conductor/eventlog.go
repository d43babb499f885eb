package conductor

import "maillab/simulator/event"

// blockLog keeps a run's records (events, raw chunks) in fixed blocks,
// oldest first. Appending never copies what is kept (one growing slice
// copied the whole log each time it grew, and again each time the budget
// dropped its oldest part); dropping from the front frees whole blocks.
type blockLog[T any] struct {
	blocks [][]T // every block but the last is full
	head   int   // entries of blocks[0] already dropped
	n      int   // entries kept
}

const logBlock = 512

func (l *blockLog[T]) len() int { return l.n }

func (l *blockLog[T]) push(v T) {
	last := len(l.blocks) - 1
	if last < 0 || len(l.blocks[last]) == logBlock {
		l.blocks = append(l.blocks, make([]T, 0, logBlock))
		last++
	}
	l.blocks[last] = append(l.blocks[last], v)
	l.n++
}

// at is the i-th kept entry, 0 the oldest.
func (l *blockLog[T]) at(i int) *T {
	i += l.head
	return &l.blocks[i/logBlock][i%logBlock]
}

// dropFront forgets the k oldest entries.
func (l *blockLog[T]) dropFront(k int) {
	k = min(k, l.n)
	var zero T
	for i := range k {
		*l.at(i) = zero // let go of its strings and bytes now
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

// copyOut copies the kept entries from i to j (0 the oldest).
func (l *blockLog[T]) copyOut(i, j int) []T {
	out := make([]T, 0, max(j-i, 0))
	for k := i; k < j; k++ {
		out = append(out, *l.at(k))
	}
	return out
}

// eventLog is the run's events with each one's part of the run's size.
type eventLog struct{ blockLog[logEntry] }

type logEntry struct {
	ev   event.Event
	size int32 // the event's part of the run's size
}

func (l *eventLog) push(ev *event.Event, size int32) {
	l.blockLog.push(logEntry{ev: *ev, size: size})
}

// events copies the kept events from i to j (0 the oldest).
func (l *eventLog) events(i, j int) []event.Event {
	out := make([]event.Event, 0, max(j-i, 0))
	for k := i; k < j; k++ {
		out = append(out, l.at(k).ev)
	}
	return out
}
