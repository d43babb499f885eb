package cli

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTraceExplain: --explain or --lang prints a translated explanation
// with its RFC under each line; a bare trace does not.
func TestTraceExplain(t *testing.T) {
	plain := run(t, "trace", "send-pop3")
	require.Equal(t, 0, plain.code, plain.stderr)
	assert.NotContains(t, plain.stdout, "     # ", "no explanations unless asked for")

	for _, args := range [][]string{{"--explain", "--lang", "de"}, {"--lang", "de"}} {
		r := run(t, append([]string{"trace", "send-pop3"}, args...)...)
		require.Equal(t, 0, r.code, r.stderr)
		checkExplained(t, r.stdout)
	}
}

func checkExplained(t *testing.T, out string) {
	t.Helper()
	r := struct{ stdout string }{out}
	lines := strings.Split(r.stdout, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "C: ") || strings.HasPrefix(l, "S: ") {
			require.Less(t, i+1, len(lines))
			assert.True(t, strings.HasPrefix(lines[i+1], "     # "), "no explanation under %q", l)
		}
	}
	assert.Contains(t, r.stdout, "# 354: Los geht’s")
	assert.Contains(t, r.stdout, "(RFC 5321 §4.1.1.4)")
	assert.Contains(t, r.stdout, "UPDATE")
}
