package i18n

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A key written twice in a catalogue loads without complaint, the last
// one winning: two branches that add the same key would hide a text.
func TestNoKeyTwice(t *testing.T) {
	for _, lang := range []string{"en", "de", "pl"} {
		b, err := files.ReadFile("catalog/" + lang + ".json")
		require.NoError(t, err)
		dec := json.NewDecoder(bytes.NewReader(b))
		_, err = dec.Token() // {
		require.NoError(t, err)
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			require.NoError(t, err)
			key := tok.(string)
			assert.False(t, seen[key], "%s: %q twice", lang, key)
			seen[key] = true
			var v json.RawMessage
			require.NoError(t, dec.Decode(&v))
		}
	}
}
