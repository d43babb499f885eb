package world

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/worldspec"
)

// The README's dns: example is a valid zone, and mail flows through it.
func TestREADMEDNSExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var provider string
	for _, block := range strings.Split(string(readme), "```yaml\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		if strings.HasPrefix(block, "  - domain: example.net\n") && strings.Contains(block, "    dns:\n") {
			provider = block
			break
		}
	}
	require.NotEmpty(t, provider, "README has a dns: example")
	file := "maillab-world: 1\nproviders:\n  - domain: example.org\n" +
		"    accounts: [{address: alice@example.org, password: wonderland}]\n" + provider +
		"devices:\n" +
		"  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}\n" +
		"  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}\n" +
		"  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}\n"
	spec, err := worldspec.Load(strings.NewReader(file))
	require.NoError(t, err, file)
	zone := spec.Provider("example.net").DNS
	require.NotNil(t, zone)
	assert.Len(t, zone.MX, 2)
	assert.Equal(t, "mail", spec.Provider("example.net").Selector())
	w := start(t, Options{Spec: &spec, AuthFailureDelay: -1})
	deliver(t, w, "Through the README's zone")
	assert.Len(t, inbox(t, w, "bob@example.net"), 1)
}
