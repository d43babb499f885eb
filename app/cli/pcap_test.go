package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var pcapngMagic = "\x0a\x0d\x0d\x0a"

func TestTracePcap(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		has, not []string // in the file
	}{
		{"masked", []string{"plaintext-password"}, []string{"PASS **********\r\n"},
			[]string{"PASS wonderland", "TRAFFIC_SECRET"}},
		{"show-secrets", []string{"plaintext-password", "--show-secrets"}, []string{"PASS wonderland\r\n"},
			[]string{"TRAFFIC_SECRET"}},
		{"keys", []string{"tls", "--keys"}, []string{"CLIENT_TRAFFIC_SECRET_0 ", "SERVER_HANDSHAKE_TRAFFIC_SECRET "}, nil},
		{"real ports", []string{"send-pop3", "--real-ports"}, []string{"STLS\r\n"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name+".pcapng")
			r := run(t, append([]string{"trace", "--pcap", file}, tc.args...)...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "--- #", "the transcript is still printed")
			assert.Contains(t, r.stderr, "Capture saved to "+file)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(string(data), pcapngMagic), "a pcapng section header")
			for _, s := range tc.has {
				assert.Contains(t, string(data), s)
			}
			for _, s := range tc.not {
				assert.NotContains(t, string(data), s)
			}
		})
	}
}

func TestTracePcapToStdout(t *testing.T) {
	r := run(t, "trace", "send-pop3", "--pcap", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, pcapngMagic), "stdout is the capture only")
	assert.NotContains(t, r.stdout, "--- #")
	assert.Empty(t, r.stderr)
}

func TestTracePcapErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"keys without pcap", []string{"trace", "tls", "--keys"}, 2, "--keys and --real-ports only go with --pcap FILE."},
		{"real-ports without pcap", []string{"trace", "tls", "--real-ports"}, 2, "only go with --pcap"},
		{"unwritable", []string{"trace", "send-pop3", "--pcap", filepath.Join(t.TempDir(), "no", "such", "x.pcapng")}, 1,
			`Could not save the capture "`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			assert.Equal(t, tc.code, r.code)
			assert.Contains(t, r.stderr, tc.msg)
		})
	}
}
