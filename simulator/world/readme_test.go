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

// The README's server-policy keys are the ones a world file takes, and
// the world they describe runs.
func TestREADMEServerPolicy(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var block string
	for _, b := range strings.Split(string(readme), "```yaml\n")[1:] {
		b, _, _ = strings.Cut(b, "```")
		if strings.Contains(b, "starttls-on-25:") {
			block = b
			break
		}
	}
	require.NotEmpty(t, block, "README shows the server-policy keys")
	text := worldspec.VersionKey + `: 1
providers:
  - domain: example.org
    accounts: [{address: alice@example.org, password: wonderland}]
  - domain: example.net
` + block + `devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
`
	spec, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err, text)
	p := spec.Provider("example.net").Policy
	assert.True(t, p.Greylisting)
	assert.NotEmpty(t, p.RelayNetworks)
	w := start(t, Options{Spec: &spec})
	assert.False(t, w.MXUp("example.net"), "down: [mx]")
}
