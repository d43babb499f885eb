package imap

import (
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
)

// TestLogoutFreesUserSlot: LOGOUT frees the user+address session slot
// before it is answered (go-imap patch 54), so a client that logs out and
// at once logs in again is not refused with NO [LIMIT] (imaptest's stress
// clients were, 11 times in 10 s; Dovecot never). Close afterwards frees
// nothing twice.
func TestLogoutFreesUserSlot(t *testing.T) {
	const bob, password = "bob@example.net", "builder"
	st := store.New("example.net")
	require.NoError(t, st.AddUser(bob, password))
	srv := New(Options{Store: st, MaxSessionsPerUserAddr: 1})
	t.Cleanup(func() { srv.Close() })
	sess := func() *session { return &session{srv: srv, st: st, addr: "127.0.0.1"} }

	a, b, c := sess(), sess(), sess()
	require.NoError(t, a.Login(bob, password))
	var limit *goimap.Error
	require.ErrorAs(t, b.Login(bob, password), &limit, "the one slot is taken")
	require.Equal(t, goimap.ResponseCodeLimit, limit.Code)

	a.Logout()
	assert.NoError(t, b.Login(bob, password), "LOGOUT freed the slot")
	require.NoError(t, a.Close())
	assert.ErrorAs(t, c.Login(bob, password), &limit, "Close did not free b's slot")
	require.NoError(t, b.Close())
	assert.NoError(t, c.Login(bob, password))
	require.NoError(t, c.Close())
}
