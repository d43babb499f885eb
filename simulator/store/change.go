package store

// ChangeKind says what a Change records.
type ChangeKind string

const (
	ChangeAdded          ChangeKind = "added"           // a message arrived (delivery, APPEND, COPY, MOVE)
	ChangeFlags          ChangeKind = "flags"           // a message's flags changed
	ChangeExpunged       ChangeKind = "expunged"        // a message was removed for good
	ChangeMailboxCreated ChangeKind = "mailbox-created" // a mailbox was created
	ChangeMailboxDeleted ChangeKind = "mailbox-deleted" // a mailbox and its messages were removed
	ChangeMailboxRenamed ChangeKind = "mailbox-renamed" // Mailbox is now called NewName
)

// Change is one applied change of the store, in the style of mox's typed
// store changes (ChangeAddUID, ChangeFlags, ...).
type Change struct {
	Kind    ChangeKind `json:"kind"`
	User    string     `json:"user"`    // the account's address as given to AddUser
	Mailbox string     `json:"mailbox"` // canonical mailbox name
	NewName string     `json:"newName,omitempty"`
	// UID, Flags and Size describe the message of ChangeAdded, ChangeFlags
	// and ChangeExpunged; Flags are the message's flags after the change.
	UID   uint32   `json:"uid,omitempty"`
	Flags []string `json:"flags"`
	Size  int64    `json:"size,omitempty"`
	// ModSeq is the mailbox's new HIGHESTMODSEQ after the change and, for
	// ChangeAdded and ChangeFlags, the message's MODSEQ (RFC 7162 §3.1).
	ModSeq uint64 `json:"modSeq,omitempty"`
}

type subscriber struct {
	id int
	fn func(Change)
}

// Subscribe registers fn for every change applied from now on.
//
// fn is called synchronously by the goroutine that made the change, after
// the change is applied and outside the data lock, in the order changes
// were applied; the changing call (Deliver, SetFlags, ...) returns only after
// every subscriber has seen its changes. fn may read the store (Messages,
// Snapshot, ...) but must not change it: mutations are serialised with
// notification, so a change made from inside fn deadlocks. fn must not
// block for long, since it holds up every writer of the store.
//
// cancel unregisters fn; a change being delivered concurrently may still
// reach fn once.
func (s *Store) Subscribe(fn func(Change)) (cancel func()) {
	s.subMu.Lock()
	s.nextSub++
	id := s.nextSub
	s.subs = append(s.subs, subscriber{id: id, fn: fn})
	s.subMu.Unlock()
	return func() { s.unsubscribe(id) }
}

func (s *Store) unsubscribe(id int) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for i, sub := range s.subs {
		if sub.id == id {
			s.subs = append(s.subs[:i:i], s.subs[i+1:]...)
			return
		}
	}
}

// mutate applies f under the data lock and then tells subscribers about the
// changes it made, all while holding writeMu, so notifications keep the
// order of the changes.
func (s *Store) mutate(f func() ([]Change, error)) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.Lock()
	changes, err := f()
	s.mu.Unlock()
	if len(changes) == 0 {
		return err
	}
	s.subMu.Lock()
	subs := append([]subscriber(nil), s.subs...)
	s.subMu.Unlock()
	for _, c := range changes {
		for _, sub := range subs {
			sub.fn(c)
		}
	}
	return err
}
