package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

func highest(t *testing.T, s *store.Store, mailbox string) uint64 {
	t.Helper()
	in, err := s.Mailbox(bob, mailbox)
	require.NoError(t, err)
	return in.HighestModSeq
}

func modSeqs(t *testing.T, s *store.Store, mailbox string) map[uint32]uint64 {
	t.Helper()
	msgs, err := s.Messages(bob, mailbox)
	require.NoError(t, err)
	out := map[uint32]uint64{}
	for _, m := range msgs {
		out[m.UID] = m.ModSeq
	}
	return out
}

// Every operation that changes a mailbox raises its HIGHESTMODSEQ by one,
// and the messages it touched get the new value (RFC 7162 §3.1).
func TestModSeqRises(t *testing.T) {
	s, changes := newStore(t)
	assert.Equal(t, uint64(1), highest(t, s, "INBOX"), "a new mailbox")
	deliver(t, s, 3)
	assert.Equal(t, uint64(4), highest(t, s, "INBOX"))
	assert.Equal(t, map[uint32]uint64{1: 2, 2: 3, 3: 4}, modSeqs(t, s, "INBOX"))

	*changes = nil
	_, err := s.SetFlags(bob, "INBOX", []uint32{1, 3}, store.FlagsAdd, []string{`\Seen`})
	require.NoError(t, err)
	assert.Equal(t, map[uint32]uint64{1: 5, 2: 3, 3: 5}, modSeqs(t, s, "INBOX"), "one modseq per STORE")
	require.Len(t, *changes, 2)
	assert.Equal(t, uint64(5), (*changes)[0].ModSeq)

	_, err = s.SetFlags(bob, "INBOX", []uint32{1}, store.FlagsAdd, []string{`\Seen`})
	require.NoError(t, err)
	assert.Equal(t, uint64(5), highest(t, s, "INBOX"), "no change, no new modseq")

	require.NoError(t, s.Delete(bob, "INBOX", []uint32{2}))
	assert.Equal(t, uint64(6), highest(t, s, "INBOX"), "an expunge")

	_, err = s.Copy(bob, "INBOX", "Trash", []uint32{1, 3})
	require.NoError(t, err)
	assert.Equal(t, uint64(2), highest(t, s, "Trash"), "a copy in is one operation")
	assert.Equal(t, uint64(6), highest(t, s, "INBOX"), "a copy does not change the source")

	_, err = s.Move(bob, "INBOX", "Trash", []uint32{3})
	require.NoError(t, err)
	assert.Equal(t, uint64(3), highest(t, s, "Trash"), "a move in")
	assert.Equal(t, uint64(7), highest(t, s, "INBOX"), "a move out is an expunge")

	uids, exact, err := s.Vanished(bob, "INBOX", 5)
	require.NoError(t, err)
	assert.True(t, exact)
	assert.Equal(t, []uint32{2, 3}, uids)
	uids, _, err = s.Vanished(bob, "INBOX", 6)
	require.NoError(t, err)
	assert.Equal(t, []uint32{3}, uids)
	uids, _, err = s.Vanished(bob, "INBOX", 7)
	require.NoError(t, err)
	assert.Empty(t, uids)

	// Deleting and creating again gives a new UIDVALIDITY, so the client's
	// modseqs are void with its UIDs.
	before, err := s.Mailbox(bob, "Trash")
	require.NoError(t, err)
	require.NoError(t, s.DeleteMailbox(bob, "Trash"))
	require.NoError(t, s.CreateMailbox(bob, "Trash"))
	after, err := s.Mailbox(bob, "Trash")
	require.NoError(t, err)
	assert.NotEqual(t, before.UIDValidity, after.UIDValidity)
	assert.Equal(t, uint64(1), after.HighestModSeq)
}

// Past MaxVanished the oldest expunges are forgotten: a question about a
// modseq before them is answered inexact, newer ones still exactly.
func TestVanishedBound(t *testing.T) {
	s, _ := newStore(t)
	n := store.MaxVanished + 5
	deliver(t, s, n)
	start := highest(t, s, "INBOX")
	for uid := uint32(1); uid <= uint32(n); uid++ {
		require.NoError(t, s.Delete(bob, "INBOX", []uint32{uid}))
	}
	uids, exact, err := s.Vanished(bob, "INBOX", start)
	require.NoError(t, err)
	assert.False(t, exact, "five expunges forgotten")
	assert.Len(t, uids, store.MaxVanished)
	assert.Equal(t, uint32(6), uids[0])

	uids, exact, err = s.Vanished(bob, "INBOX", start+5)
	require.NoError(t, err)
	assert.True(t, exact, "everything after the forgotten ones is remembered")
	assert.Len(t, uids, store.MaxVanished)
}

// UNCHANGEDSINCE (RFC 7162 §3.1.3): messages changed after the given
// modseq are left alone and reported; the test and the change are one step.
func TestStoreFlagsUnchangedSince(t *testing.T) {
	s, _ := newStore(t)
	deliver(t, s, 3) // modseqs 2, 3, 4
	res, err := s.StoreFlags(bob, "INBOX", store.FlagRequest{UIDs: []uint32{1, 2, 3}, Op: store.FlagsAdd,
		Flags: []string{`\Deleted`}, Conditional: true, UnchangedSince: 3})
	require.NoError(t, err)
	assert.Equal(t, []uint32{3}, res.Modified)
	assert.Equal(t, map[uint32]uint64{1: 5, 2: 5}, res.ModSeq)
	assert.Equal(t, map[uint32]bool{1: true, 2: true}, res.Changed)
	msgs, err := s.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Empty(t, msgs[2].Flags, "the modified message is left alone")

	res, err = s.StoreFlags(bob, "INBOX", store.FlagRequest{UIDs: []uint32{1, 2, 3}, Op: store.FlagsAdd,
		Flags: []string{`\Seen`}, Conditional: true, UnchangedSince: 0})
	require.NoError(t, err)
	assert.Equal(t, []uint32{1, 2, 3}, res.Modified, "UNCHANGEDSINCE 0 fails for every message")
}
