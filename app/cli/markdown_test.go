package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTraceMarkdown: --markdown prints the export's Markdown in --lang,
// passwords hidden unless --show-secrets.
func TestTraceMarkdown(t *testing.T) {
	r := run(t, "trace", "plaintext-password", "--markdown", "--lang", "pl")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "# Zapis sesji Maillaba: "), r.stdout[:80])
	assert.Contains(t, r.stdout, "| Krok | Czas | Kierunek | Wiersz | Znaczenie |")
	assert.Contains(t, r.stdout, "| `AUTH PLAIN ********` |")
	assert.NotContains(t, r.stdout, "wonderland")
	assert.Contains(t, r.stdout, "(RFC 4954 §4")

	shown := run(t, "trace", "plaintext-password", "--markdown", "--show-secrets")
	require.Equal(t, 0, shown.code, shown.stderr)
	assert.Contains(t, shown.stdout, "# Maillab transcript: ")
	assert.Contains(t, shown.stdout, "`PASS wonderland`")
}
