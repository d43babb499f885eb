package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

// TestClaimRecent: each message is recent in one session only (RFC 3501
// §2.3.2); looking (upTo 0) claims nothing.
func TestClaimRecent(t *testing.T) {
	s := store.New("example.net")
	require.NoError(t, s.AddUser(bob, "pw"))
	for range 3 {
		_, err := s.Deliver(bob, store.Inbox, []byte("Subject: x\r\n\r\nx\r\n"), nil, time.Time{})
		require.NoError(t, err)
	}
	in, err := s.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	assert.Equal(t, 3, in.Recent)
	assert.Equal(t, uint32(1), in.FirstRecent)

	first, err := s.ClaimRecent(bob, store.Inbox, 0) // EXAMINE only looks
	require.NoError(t, err)
	assert.Equal(t, uint32(1), first)
	first, err = s.ClaimRecent(bob, store.Inbox, 2) // a SELECT that knows UIDs 1-2
	require.NoError(t, err)
	assert.Equal(t, uint32(1), first, "UIDs 1-2 are recent in the first session")
	first, err = s.ClaimRecent(bob, store.Inbox, 3)
	require.NoError(t, err)
	assert.Equal(t, uint32(3), first, "only UID 3 is left for the second")
	first, err = s.ClaimRecent(bob, store.Inbox, 3)
	require.NoError(t, err)
	assert.Greater(t, first, uint32(3), "nothing is left for a third")

	in, err = s.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	assert.Equal(t, 0, in.Recent)
	_, err = s.ClaimRecent(bob, "Nope", 1)
	assert.ErrorIs(t, err, store.ErrNoMailbox)
}
