package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTraceExplain: --explain prints a translated explanation with its RFC
// under each line; --lang alone does not.
func TestTraceExplain(t *testing.T) {
	plain := run(t, "trace", "send-pop3", "--lang", "de")
	require.Equal(t, 0, plain.code, plain.stderr)
	assert.NotContains(t, plain.stdout, "     # ", "--lang implies nothing else")

	r := run(t, "trace", "send-pop3", "--explain", "--lang", "de")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(r.stdout, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "C: ") || strings.HasPrefix(l, "S: ") {
			require.Less(t, i+1, len(lines))
			assert.True(t, strings.HasPrefix(lines[i+1], "     # "), "no explanation under %q", l)
		}
	}
	assert.Contains(t, r.stdout, "# 354: Los geht's")
	assert.Contains(t, r.stdout, "(RFC 5321 §4.1.1.4)")
	assert.Contains(t, r.stdout, "UPDATE")
}
