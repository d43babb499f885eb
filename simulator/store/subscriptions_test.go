package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

// TestSubscriptions: subscriptions are a set of names per user (RFC 9051
// §6.3.7), not a bit on the mailbox.
func TestSubscriptions(t *testing.T) {
	s, _ := newStore(t)
	subs := func() []string {
		t.Helper()
		names, err := s.Subscriptions(bob)
		require.NoError(t, err, "Subscriptions()")
		return names
	}
	assert.Equal(t, []string{"INBOX", "Sent", "Trash"}, subs(), "a new account's mailboxes start subscribed")

	require.NoError(t, s.CreateMailbox(bob, "Work"))
	assert.Equal(t, []string{"INBOX", "Sent", "Trash"}, subs(), "CREATE does not subscribe")
	require.NoError(t, s.SetSubscribed(bob, "Work", true))
	in, err := s.Mailbox(bob, "Work")
	require.NoError(t, err)
	assert.True(t, in.Subscribed)

	require.NoError(t, s.RenameMailbox(bob, "Work", "Job"))
	assert.Equal(t, []string{"INBOX", "Job", "Sent", "Trash"}, subs(), "RENAME takes the subscription along")

	require.NoError(t, s.DeleteMailbox(bob, "Job"))
	assert.Equal(t, []string{"INBOX", "Job", "Sent", "Trash"}, subs(), "DELETE keeps the subscription")
	require.NoError(t, s.SetSubscribed(bob, "Job", false), "a deleted mailbox can be unsubscribed")
	assert.Equal(t, []string{"INBOX", "Sent", "Trash"}, subs())

	assert.ErrorIs(t, s.SetSubscribed(bob, "Nope", true), store.ErrNoMailbox)
	assert.ErrorIs(t, s.SetSubscribed(bob, "Nope", false), store.ErrNoMailbox)
	require.NoError(t, s.SetSubscribed(bob, "Sent", false))
	require.NoError(t, s.SetSubscribed(bob, "Sent", false), "unsubscribing twice is no error")
	require.NoError(t, s.SetSubscribed(bob, "inbox", false), "INBOX in any case")
	assert.Equal(t, []string{"Trash"}, subs())
}
