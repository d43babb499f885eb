package world

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Worlds given the same DKIMKeys sign with the same keys (the app's resets);
// a world without them makes its own.
func TestDKIMKeysOutliveAWorld(t *testing.T) {
	keys := NewDKIMKeys()
	first := start(t, Options{DKIMKeys: keys})
	second := start(t, Options{DKIMKeys: keys})
	own := start(t, Options{})
	for _, d := range Domains {
		k, err := keys.For(d)
		require.NoError(t, err)
		assert.True(t, k.Equal(first.providers[d].DKIMKey), "first world, %s", d)
		assert.True(t, k.Equal(second.providers[d].DKIMKey), "second world, %s", d)
		assert.False(t, k.Equal(own.providers[d].DKIMKey), "a world of its own, %s", d)
	}
	org, _ := keys.For("example.org")
	net, _ := keys.For("example.net")
	assert.False(t, org.Equal(net), "one key per domain")
}
