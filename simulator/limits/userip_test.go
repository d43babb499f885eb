package limits_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/limits"
)

func TestUserAddr(t *testing.T) {
	u := limits.NewUserAddr(2)
	r1, ok := u.Acquire("bob@example.net", "127.0.0.1")
	require.True(t, ok)
	_, ok = u.Acquire("bob@example.net", "127.0.0.1")
	require.True(t, ok)
	_, ok = u.Acquire("bob@example.net", "127.0.0.1")
	assert.False(t, ok, "a third session of the same user from the same address")
	_, ok = u.Acquire("bob@example.net", "127.0.0.2")
	assert.True(t, ok, "another address has its own count")
	_, ok = u.Acquire("alice@example.org", "127.0.0.1")
	assert.True(t, ok, "another user has its own count")
	r1()
	r1() // twice changes nothing
	_, ok = u.Acquire("bob@example.net", "127.0.0.1")
	assert.True(t, ok, "a released session makes room")
	_, ok = u.Acquire("bob@example.net", "127.0.0.1")
	assert.False(t, ok, "a second release of the same session made no extra room")
	assert.Equal(t, limits.DefaultPerUserAddr, limits.NewUserAddr(0).Max())
}
