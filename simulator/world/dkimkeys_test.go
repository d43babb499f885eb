package world

import (
	"crypto"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/worldspec"
)

// Worlds given the same DKIMKeys sign with the same keys (the app's resets);
// a world without them makes its own.
func TestDKIMKeysOutliveAWorld(t *testing.T) {
	keys := NewDKIMKeys()
	first := start(t, Options{DKIMKeys: keys})
	second := start(t, Options{DKIMKeys: keys})
	own := start(t, Options{})
	for _, d := range Domains {
		k, err := keys.For(d, worldspec.DKIMEd25519)
		require.NoError(t, err)
		assert.True(t, same(k, first.providers[d].DKIMKey), "first world, %s", d)
		assert.True(t, same(k, second.providers[d].DKIMKey), "second world, %s", d)
		assert.False(t, same(k, own.providers[d].DKIMKey), "a world of its own, %s", d)
	}
	org, _ := keys.For("example.org", worldspec.DKIMEd25519)
	net, _ := keys.For("example.net", worldspec.DKIMEd25519)
	assert.False(t, same(org, net), "one key per domain")
	rsaKey, err := keys.For("example.org", worldspec.DKIMRSA)
	require.NoError(t, err)
	assert.False(t, same(org, rsaKey), "one key per algorithm")
}

// same reports whether two signing keys are one (crypto.Signer has no Equal).
func same(a, b crypto.Signer) bool {
	return a.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(b.Public())
}
