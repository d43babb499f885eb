package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

// TestQuota: every way a message arrives counts against the quota (a move
// does not), every way one leaves frees room, and a refused message
// leaves the account as it was.
func TestQuota(t *testing.T) {
	s, _ := newStore(t)
	usage := func() store.Usage {
		u, err := s.Usage(bob)
		require.NoError(t, err, "Usage()")
		return u
	}
	assert.Equal(t, store.Usage{Used: 0, Quota: store.DefaultQuota}, usage(), "default quota")

	size := int64(len(mail))
	s.SetQuota(3 * size)
	deliver(t, s, 2)
	assert.Equal(t, store.Usage{Used: 2 * size, Quota: 3 * size}, usage())
	assert.Equal(t, size, usage().Room())

	_, err := s.Copy(bob, "INBOX", "Sent", []uint32{1, 2})
	assert.ErrorIs(t, err, store.ErrOverQuota, "copying two would need 4 of 3")
	_, err = s.Move(bob, "INBOX", "Sent", []uint32{1, 2})
	require.NoError(t, err, "a move takes no room")
	assert.Equal(t, 2*size, usage().Used)

	_, err = s.Deliver(bob, "INBOX", []byte(mail), nil, when)
	require.NoError(t, err, "the third fits exactly")
	_, err = s.Deliver(bob, "INBOX", []byte(mail), nil, when)
	assert.ErrorIs(t, err, store.ErrOverQuota)
	msgs, err := s.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Len(t, msgs, 1, "the refused message was not stored")

	require.NoError(t, s.Delete(bob, "INBOX", []uint32{msgs[0].UID}))
	assert.Equal(t, 2*size, usage().Used, "expunge frees room")
	require.NoError(t, s.DeleteMailbox(bob, "Sent"))
	assert.Equal(t, int64(0), usage().Used, "deleting a mailbox frees its messages' room")

	s.SetQuota(0)
	assert.Equal(t, int64(-1), usage().Room(), "no limit")
	assert.Equal(t, usage(), s.Snapshot()[0].Usage, "the snapshot carries the usage")
}

// An account's own quota beats the store's; reset, it follows the store's
// again; 0 means no limit for that account only.
func TestUserQuota(t *testing.T) {
	s, _ := newStore(t)
	size := int64(len(mail))
	s.SetQuota(10 * size)
	require.NoError(t, s.SetUserQuota(bob, size))
	deliver(t, s, 1)
	_, err := s.Deliver(bob, "INBOX", []byte(mail), nil, when)
	assert.ErrorIs(t, err, store.ErrOverQuota, "Bob's own quota holds one message")
	u, err := s.Usage(bob)
	require.NoError(t, err)
	assert.Equal(t, size, u.Quota)

	require.NoError(t, s.SetUserQuota(bob, 0))
	_, err = s.Deliver(bob, "INBOX", []byte(mail), nil, when)
	require.NoError(t, err, "no limit for Bob")

	require.NoError(t, s.ResetUserQuota(bob))
	u, err = s.Usage(bob)
	require.NoError(t, err)
	assert.Equal(t, 10*size, u.Quota, "the store's quota again")
	assert.ErrorIs(t, s.SetUserQuota("nobody@example.net", 1), store.ErrNoUser)
}

// A removed account is gone for logins and deliveries, subscribers see
// its mailboxes deleted; a changed password works at once.
func TestRemoveUserAndSetPassword(t *testing.T) {
	s, _ := newStore(t)
	var changes []store.Change
	cancel := s.Subscribe(func(c store.Change) { changes = append(changes, c) })
	defer cancel()

	require.NoError(t, s.SetPassword(bob, "new secret"))
	assert.ErrorIs(t, s.CheckPassword(bob, "builder"), store.ErrAuth)
	assert.NoError(t, s.CheckPassword(bob, "new secret"))

	require.NoError(t, s.RemoveUser(bob))
	assert.False(t, s.HasUser(bob))
	assert.ErrorIs(t, s.CheckPassword(bob, "new secret"), store.ErrAuth)
	_, err := s.Deliver(bob, "INBOX", []byte(mail), nil, when)
	assert.ErrorIs(t, err, store.ErrNoUser)
	require.NotEmpty(t, changes)
	for _, c := range changes {
		assert.Equal(t, store.ChangeMailboxDeleted, c.Kind)
	}
	assert.ErrorIs(t, s.RemoveUser(bob), store.ErrNoUser)
	require.NoError(t, s.AddUser(bob, "again"), "the address can be given out again")
}
