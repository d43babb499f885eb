package world

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// The world file shown in the README loads and runs.
func TestREADMEWorldFile(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var example string
	for _, block := range strings.Split(string(readme), "```yaml\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		if strings.HasPrefix(block, worldspec.VersionKey+": 1") {
			example = block
			break
		}
	}
	require.NotEmpty(t, example, "README has a world file")
	spec, err := worldspec.Load(strings.NewReader(example))
	require.NoError(t, err, example)
	w := start(t, Options{Spec: &spec})
	require.NoError(t, w.Provider("example.net").Store.CheckPassword("bob@example.net", "s3cret"))
	msgs, err := w.Provider("example.net").Store.Messages("bob@example.net", store.Inbox)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	assert.Equal(t, []string{`\Seen`}, msgs[0].Flags)
}
