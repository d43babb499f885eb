package mta

// Snapshot returns every item, oldest first, finished ones included.
func (q *Queue) Snapshot() []Item {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Item, len(q.entries))
	for i, e := range q.entries {
		out[i] = e.item.clone()
	}
	return out
}

// Message returns the raw message queued under id.
func (q *Queue) Message(id string) ([]byte, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.entries {
		if e.item.ID == id {
			return e.raw, true
		}
	}
	return nil, false
}

// Subscribe calls f with a copy of an item after each change of it, on the
// goroutine that made the change, in order; f must not block for long.
// The returned function ends the subscription.
func (q *Queue) Subscribe(f func(Item)) (cancel func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	id := q.nextSub
	q.nextSub++
	q.subs[id] = f
	return func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		delete(q.subs, id)
	}
}

func (q *Queue) notify(it Item) {
	q.mu.Lock()
	subs := make([]func(Item), 0, len(q.subs))
	for i := 0; i < q.nextSub; i++ {
		if f, ok := q.subs[i]; ok {
			subs = append(subs, f)
		}
	}
	q.mu.Unlock()
	for _, f := range subs {
		f(it)
	}
}

// update changes an item under the lock and tells the subscribers.
func (q *Queue) update(e *entry, change func(it *Item)) {
	q.mu.Lock()
	change(&e.item)
	it := e.item.clone()
	q.mu.Unlock()
	q.notify(it)
}
