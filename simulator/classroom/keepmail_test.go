package classroom_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/world"
)

// A world started anew while the student stays in the room (the teacher
// hands out a challenge) keeps the mail her classmates sent her: every
// world the student's Maillab starts shares the provider's store, and the
// account is not made twice. Subnet 70 is this file's.
func TestWorldRoomKeepsMailAcrossWorlds(t *testing.T) {
	r := newRoom(t, 70)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)

	ben.submit(t, "before", "sent before anna's world started anew", anna.Account)
	require.Len(t, anna.inboxOf(t, 1), 1)

	// Anna's Maillab starts a new world in the room, as a handed-out challenge makes it do.
	require.NoError(t, anna.w.Close())
	w2, err := world.Start(world.Options{Room: anna.Room(), AutoQueue: true, AuthFailureDelay: -1})
	require.NoError(t, err)
	t.Cleanup(func() { w2.Close() })
	require.NoError(t, anna.Ready(context.Background(), w2.RoomQueue()))
	again := worldStudent{Student: anna.Student, w: w2}

	got := again.inboxOf(t, 1)
	assert.Contains(t, got[0], "Subject: before", "the mail from before is in the new world's INBOX")
	ben.submit(t, "after", "sent to the new world", anna.Account)
	got = again.inboxOf(t, 2)
	assert.Contains(t, got[1], "Subject: after", "and the new world's MX takes new mail on the same address")
	usage, err := w2.Provider(anna.Domain).Store.Usage(anna.Account)
	require.NoError(t, err)
	assert.Positive(t, usage.Quota, "the account keeps a quota")
}
