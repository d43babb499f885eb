package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	bob  = "bob@example.net"
	mail = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nHi Bob\r\n"
)

var when = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// newStore returns a store with Bob and records its changes.
func newStore(t *testing.T) (*store.Store, *[]store.Change) {
	t.Helper()
	s := store.New("example.net")
	require.NoError(t, s.AddUser(bob, "builder"), "AddUser()")
	var changes []store.Change
	cancel := s.Subscribe(func(c store.Change) { changes = append(changes, c) })
	t.Cleanup(cancel)
	return s, &changes
}

func deliver(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, err := s.Deliver(bob, "inbox", []byte(mail), nil, when)
		require.NoError(t, err, "Deliver()")
	}
}

func uids(t *testing.T, s *store.Store, mailbox string) []uint32 {
	t.Helper()
	msgs, err := s.Messages(bob, mailbox)
	require.NoError(t, err, "Messages()")
	out := []uint32{}
	for _, m := range msgs {
		out = append(out, m.UID)
	}
	return out
}

func TestUsers(t *testing.T) {
	s := store.New("example.net")
	require.NoError(t, s.AddUser(bob, "builder"))
	assert.ErrorIs(t, s.AddUser("BOB@example.net", "x"), store.ErrUserExists)
	assert.ErrorIs(t, s.AddUser("alice@example.org", "x"), store.ErrWrongDomain)
	assert.True(t, s.HasUser("Bob@Example.NET"))
	assert.False(t, s.HasUser("eve@example.net"))
	assert.NoError(t, s.CheckPassword("Bob@example.net", "builder"))
	assert.ErrorIs(t, s.CheckPassword(bob, "Builder"), store.ErrAuth)
	assert.ErrorIs(t, s.CheckPassword("eve@example.net", "builder"), store.ErrAuth)
	pw, ok := s.Password(bob)
	assert.True(t, ok)
	assert.Equal(t, "builder", pw)
	boxes, err := s.Mailboxes(bob)
	require.NoError(t, err)
	var names []string
	for _, b := range boxes {
		names = append(names, b.Name)
		assert.NotZero(t, b.UIDValidity, b.Name)
		assert.Equal(t, uint32(1), b.UIDNext, b.Name)
	}
	assert.Equal(t, []string{"INBOX", "Sent", "Trash"}, names)
}

func TestDeliver(t *testing.T) {
	s, changes := newStore(t)
	m, err := s.Deliver(bob, "INBOX", []byte(mail), []string{`\seen`, "$Label1", `\Recent`, "$label1"}, when)
	require.NoError(t, err)
	assert.Equal(t, uint32(1), m.UID)
	assert.Equal(t, []string{`\Seen`, "$Label1"}, m.Flags)
	assert.Equal(t, int64(len(mail)), m.Size)
	assert.Equal(t, when, m.InternalDate)

	m.Raw[0] = 'X' // callers get copies
	m.Flags[0] = "changed"
	msgs, err := s.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Equal(t, mail, string(msgs[0].Raw))
	assert.Equal(t, []string{`\Seen`, "$Label1"}, msgs[0].Flags)

	require.Len(t, *changes, 1)
	assert.Equal(t, store.Change{Kind: store.ChangeAdded, User: bob, Mailbox: "INBOX", UID: 1,
		Flags: []string{`\Seen`, "$Label1"}, Size: int64(len(mail)), ModSeq: 2}, (*changes)[0])

	for _, tc := range []struct {
		name, user, mailbox string
		flags               []string
		want                error
	}{
		{"unknown user", "eve@example.net", "INBOX", nil, store.ErrNoUser},
		{"unknown mailbox", bob, "Nope", nil, store.ErrNoMailbox},
		{"unknown system flag", bob, "INBOX", []string{`\Bogus`}, store.ErrInvalidFlag},
		{"keyword with space", bob, "INBOX", []string{"a b"}, store.ErrInvalidFlag},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Deliver(tc.user, tc.mailbox, []byte(mail), tc.flags, when)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestUIDsAscend(t *testing.T) {
	s, _ := newStore(t)
	deliver(t, s, 3)
	require.NoError(t, s.Delete(bob, "INBOX", []uint32{3}))
	deliver(t, s, 1)
	assert.Equal(t, []uint32{1, 2, 4}, uids(t, s, "INBOX"), "a deleted UID is never reused")
	in, err := s.Mailbox(bob, "INBOX")
	require.NoError(t, err)
	assert.Equal(t, uint32(5), in.UIDNext)
}

func TestSetFlags(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start []string
		op    store.FlagOp
		flags []string
		want  []string
		event bool
	}{
		{"add", nil, store.FlagsAdd, []string{`\Seen`}, []string{`\Seen`}, true},
		{"add present", []string{`\Seen`}, store.FlagsAdd, []string{`\SEEN`}, []string{`\Seen`}, false},
		{"add keeps order", []string{`\Deleted`}, store.FlagsAdd, []string{"work", `\Seen`}, []string{`\Seen`, `\Deleted`, "work"}, true},
		{"remove", []string{`\Seen`, `\Flagged`}, store.FlagsRemove, []string{`\seen`}, []string{`\Flagged`}, true},
		{"remove absent", []string{`\Flagged`}, store.FlagsRemove, []string{`\Seen`}, []string{`\Flagged`}, false},
		{"replace", []string{`\Seen`}, store.FlagsReplace, []string{`\Answered`}, []string{`\Answered`}, true},
		{"replace with nothing", []string{`\Seen`}, store.FlagsReplace, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, changes := newStore(t)
			_, err := s.Deliver(bob, "INBOX", []byte(mail), tc.start, when)
			require.NoError(t, err)
			*changes = nil
			got, err := s.SetFlags(bob, "INBOX", []uint32{1, 99}, tc.op, tc.flags)
			require.NoError(t, err)
			assert.Equal(t, map[uint32][]string{1: tc.want}, got)
			msgs, _ := s.Messages(bob, "INBOX")
			assert.Equal(t, tc.want, msgs[0].Flags)
			if tc.event {
				assert.Equal(t, []store.Change{{Kind: store.ChangeFlags, User: bob, Mailbox: "INBOX",
					UID: 1, Flags: tc.want, Size: int64(len(mail)), ModSeq: 3}}, *changes)
			} else {
				assert.Empty(t, *changes)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	s, changes := newStore(t)
	deliver(t, s, 3)
	*changes = nil
	require.NoError(t, s.Delete(bob, "INBOX", []uint32{3, 1, 42}))
	assert.Equal(t, []uint32{2}, uids(t, s, "INBOX"))
	require.Len(t, *changes, 2)
	assert.Equal(t, store.ChangeExpunged, (*changes)[0].Kind)
	assert.Equal(t, []uint32{1, 3}, []uint32{(*changes)[0].UID, (*changes)[1].UID}, "expunges in UID order")
	require.NoError(t, s.Delete(bob, "INBOX", []uint32{1}), "deleting twice is harmless")
	assert.ErrorIs(t, s.Delete(bob, "Nope", []uint32{1}), store.ErrNoMailbox)
}

func TestCopyMove(t *testing.T) {
	for _, tc := range []struct {
		name      string
		move      bool
		uids      []uint32
		wantSrc   []uint32
		wantDst   []uint32
		wantKinds []store.ChangeKind
	}{
		{"copy", false, []uint32{1, 3}, []uint32{1, 2, 3}, []uint32{1, 2},
			[]store.ChangeKind{store.ChangeAdded, store.ChangeAdded}},
		{"move", true, []uint32{3, 1}, []uint32{2}, []uint32{1, 2},
			[]store.ChangeKind{store.ChangeAdded, store.ChangeAdded, store.ChangeExpunged, store.ChangeExpunged}},
		{"unknown uids", true, []uint32{7}, []uint32{1, 2, 3}, []uint32{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, changes := newStore(t)
			deliver(t, s, 3)
			_, err := s.SetFlags(bob, "INBOX", []uint32{3}, store.FlagsAdd, []string{`\Seen`})
			require.NoError(t, err)
			*changes = nil
			op := s.Copy
			if tc.move {
				op = s.Move
			}
			res, err := op(bob, "INBOX", "Trash", tc.uids)
			require.NoError(t, err)
			assert.Equal(t, tc.wantSrc, uids(t, s, "INBOX"))
			assert.Equal(t, tc.wantDst, uids(t, s, "Trash"))
			trash, _ := s.Mailbox(bob, "Trash")
			assert.Equal(t, trash.UIDValidity, res.UIDValidity)
			assert.Len(t, res.DestUIDs, len(res.SourceUIDs))
			var kinds []store.ChangeKind
			for _, c := range *changes {
				kinds = append(kinds, c.Kind)
			}
			assert.Equal(t, tc.wantKinds, kinds)
		})
	}
}

func TestCopyKeepsFlagsAndDate(t *testing.T) {
	s, _ := newStore(t)
	_, err := s.Deliver(bob, "INBOX", []byte(mail), []string{`\Flagged`}, when)
	require.NoError(t, err)
	res, err := s.Copy(bob, "INBOX", "Sent", []uint32{1})
	require.NoError(t, err)
	assert.Equal(t, []uint32{1}, res.SourceUIDs)
	assert.Equal(t, []uint32{1}, res.DestUIDs)
	msgs, _ := s.Messages(bob, "Sent")
	require.Len(t, msgs, 1)
	assert.Equal(t, []string{`\Flagged`}, msgs[0].Flags)
	assert.Equal(t, when, msgs[0].InternalDate)
	// RFC 6851 allows a move into the same mailbox (Dovecot does it): the
	// message gets the next UID.
	res, err = s.Move(bob, "INBOX", "inbox", []uint32{1})
	require.NoError(t, err)
	assert.Equal(t, []uint32{1}, res.SourceUIDs)
	assert.Equal(t, []uint32{2}, res.DestUIDs)
	msgs, _ = s.Messages(bob, "INBOX")
	require.Len(t, msgs, 1)
	assert.Equal(t, uint32(2), msgs[0].UID)
	assert.Equal(t, []string{`\Flagged`}, msgs[0].Flags)
	_, err = s.Copy(bob, "INBOX", "Nope", []uint32{1})
	assert.ErrorIs(t, err, store.ErrNoMailbox)
}

func TestMailboxAdmin(t *testing.T) {
	s, changes := newStore(t)
	require.NoError(t, s.CreateMailbox(bob, "Archive"))
	require.NoError(t, s.CreateMailbox(bob, "Archive/2024"))
	before, _ := s.Mailbox(bob, "Archive")
	require.NoError(t, s.RenameMailbox(bob, "Archive", "Old"))
	after, err := s.Mailbox(bob, "Old")
	require.NoError(t, err)
	assert.Equal(t, before.UIDValidity, after.UIDValidity, "rename keeps UIDVALIDITY")
	_, err = s.Mailbox(bob, "Old/2024")
	assert.NoError(t, err, "children are renamed too")

	require.NoError(t, s.DeleteMailbox(bob, "Old/2024"))
	require.NoError(t, s.CreateMailbox(bob, "Old/2024"))
	again, _ := s.Mailbox(bob, "Old/2024")
	assert.Greater(t, again.UIDValidity, after.UIDValidity, "a re-created mailbox gets a new UIDVALIDITY")

	var kinds []store.ChangeKind
	for _, c := range *changes {
		kinds = append(kinds, c.Kind)
	}
	assert.Equal(t, []store.ChangeKind{store.ChangeMailboxCreated, store.ChangeMailboxCreated,
		store.ChangeMailboxRenamed, store.ChangeMailboxRenamed, store.ChangeMailboxDeleted,
		store.ChangeMailboxCreated}, kinds)

	require.NoError(t, s.SetSubscribed(bob, "Old", false))
	old, _ := s.Mailbox(bob, "Old")
	assert.False(t, old.Subscribed)

	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"create existing", s.CreateMailbox(bob, "Sent"), store.ErrMailboxExists},
		{"create inbox", s.CreateMailbox(bob, "inbox"), store.ErrMailboxExists},
		{"create empty level", s.CreateMailbox(bob, "a//b"), store.ErrInvalidName},
		{"create wildcard", s.CreateMailbox(bob, "a*"), store.ErrInvalidName},
		{"delete inbox", s.DeleteMailbox(bob, "Inbox"), store.ErrInvalidName},
		{"delete unknown", s.DeleteMailbox(bob, "Nope"), store.ErrNoMailbox},
		{"rename inbox", s.RenameMailbox(bob, "INBOX", "x"), store.ErrInvalidName},
		{"rename onto existing", s.RenameMailbox(bob, "Sent", "Trash"), store.ErrMailboxExists},
		{"rename into itself", s.RenameMailbox(bob, "Old", "Old/x"), store.ErrInvalidName},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.ErrorIs(t, tc.err, tc.want) })
	}
}

func TestSnapshot(t *testing.T) {
	s, _ := newStore(t)
	require.NoError(t, s.AddUser("alice@example.net", "x"))
	_, err := s.Deliver(bob, "INBOX", []byte(mail), []string{`\Seen`}, when)
	require.NoError(t, err)
	_, err = s.Deliver(bob, "INBOX", []byte("garbage without header end"), nil, when)
	require.NoError(t, err, "an unparsable message is still stored")
	snap := s.Snapshot()
	require.Len(t, snap, 2)
	assert.Equal(t, "alice@example.net", snap[0].Address)
	inbox := snap[1].Mailboxes[0]
	assert.Equal(t, "INBOX", inbox.Name)
	assert.Equal(t, 2, inbox.Count)
	assert.Equal(t, 1, inbox.Unseen)
	require.Len(t, inbox.Messages, 2)
	assert.Equal(t, store.MessageSummary{UID: 1, Flags: []string{`\Seen`}, Size: int64(len(mail)),
		InternalDate: when, From: "Alice <alice@example.org>", Subject: "Grüße"}, inbox.Messages[0])
}

func TestSubscribeOrderAndCancel(t *testing.T) {
	s := store.New("example.net")
	require.NoError(t, s.AddUser(bob, "builder"))
	var a, b []uint32
	cancelA := s.Subscribe(func(c store.Change) { a = append(a, c.UID) })
	cancelB := s.Subscribe(func(c store.Change) {
		b = append(b, c.UID)
		_, err := s.Messages(bob, "INBOX") // reading from a subscriber is allowed
		assert.NoError(t, err)
	})
	deliver(t, s, 2)
	cancelA()
	deliver(t, s, 1)
	cancelB()
	cancelB()
	assert.Equal(t, []uint32{1, 2}, a)
	assert.Equal(t, []uint32{1, 2, 3}, b)
}

// TestConcurrency hammers one mailbox from many goroutines (run with
// -race) and checks that subscribers saw every change in store order.
func TestConcurrency(t *testing.T) {
	s := store.New("example.net")
	require.NoError(t, s.AddUser(bob, "builder"))
	var mu sync.Mutex
	live := map[uint32]bool{}
	var bad []string
	cancel := s.Subscribe(func(c store.Change) {
		mu.Lock()
		defer mu.Unlock()
		switch c.Kind {
		case store.ChangeAdded:
			live[c.UID] = true
		case store.ChangeFlags, store.ChangeExpunged:
			if !live[c.UID] {
				bad = append(bad, fmt.Sprintf("%s before add of %d", c.Kind, c.UID))
			}
			if c.Kind == store.ChangeExpunged {
				delete(live, c.UID)
			}
		}
	})
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				m, err := s.Deliver(bob, "INBOX", []byte(mail), nil, when)
				assert.NoError(t, err)
				_, err = s.SetFlags(bob, "INBOX", []uint32{m.UID, m.UID - 1}, store.FlagsAdd, []string{`\Seen`})
				assert.NoError(t, err)
				if i%3 == 0 {
					assert.NoError(t, s.Delete(bob, "INBOX", []uint32{m.UID}))
				}
				_, err = s.Messages(bob, "INBOX")
				assert.NoError(t, err)
				_ = s.Snapshot()
			}
		}()
	}
	wg.Wait()
	assert.Empty(t, bad)
	got := uids(t, s, "INBOX")
	assert.Len(t, got, len(live))
	for i := 1; i < len(got); i++ {
		assert.Less(t, got[i-1], got[i], "UIDs ascend")
	}
}
