package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut, Lang: "en"})
	return result{code, out.String(), errOut.String()}
}

func TestUsage(t *testing.T) {
	usage := i18n.T("en", "cli.usage", nil)
	require.Contains(t, usage, "Usage:")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no args", nil, 2},
		{"help", []string{"help"}, 0},
		{"-h", []string{"-h"}, 0},
		{"--help", []string{"--help"}, 0},
		{"unknown", []string{"frobnicate"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			assert.Equal(t, tc.code, r.code)
			assert.Contains(t, r.stderr, usage)
			assert.Empty(t, r.stdout)
		})
	}
	assert.Contains(t, run(t, "frobnicate").stderr, `Unknown command "frobnicate".`)
}

func TestScenarios(t *testing.T) {
	ids := []string{"send-pop3", "send-imap", "pop3-two-devices", "pop3-vs-imap", "tls",
		"bounce", "retry", "retry-giveup", "relay-denied", "bcc", "size-limit", "plaintext-password", "spoofing"}
	for _, lang := range []string{"en", "de", "pl"} {
		t.Run(lang, func(t *testing.T) {
			r := run(t, "scenarios", "--lang", lang)
			require.Equal(t, 0, r.code, r.stderr)
			var got []string
			for _, line := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
				if id, _, _ := strings.Cut(line, " "); id != "" {
					got = append(got, id)
				}
			}
			assert.Equal(t, ids, got, "ids in lesson order")
			for _, id := range ids {
				assert.Contains(t, r.stdout, i18n.T(lang, "scenario."+id+".title", nil))
			}
		})
	}
	assert.Contains(t, run(t, "scenarios").stdout, "Send a mail, fetch it with POP3")
	assert.Contains(t, run(t, "scenarios", "--lang", "de").stdout, "E-Mail senden und mit POP3 abrufen")
	assert.Contains(t, run(t, "scenarios", "--lang=de").stdout, "IMAP auf zwei Geräten")
}

func TestBadArguments(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"scenarios --lang fr", []string{"scenarios", "--lang", "fr"}, `Unknown language "fr"`},
		{"scenarios --bogus", []string{"scenarios", "--bogus"}, "flag provided but not defined"},
		{"trace alone", []string{"trace"}, "trace needs exactly one scenario id"},
		{"trace two", []string{"trace", "send-pop3", "tls"}, "trace needs exactly one scenario id"},
		{"trace unknown", []string{"trace", "no-such"}, `Unknown scenario "no-such"`},
		{"trace --lang fr", []string{"trace", "send-pop3", "--lang", "fr"}, `Unknown language "fr"`},
		{"world --port-base 80", []string{"world", "--port-base", "80"}, "--port-base must be between"},
		{"world extra", []string{"world", "extra"}, `Unknown command "extra"`},
		{"world --lang fr", []string{"world", "--lang", "fr"}, `Unknown language "fr"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestTrace(t *testing.T) {
	r := run(t, "trace", "send-pop3")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{
		"--- #1 alice-laptop -> smtp.example.org  SUBMISSION, port 587",
		"\nC: EHLO [127.77.1.10]\n",
		"\nS: 220 smtp.example.org",
		"\nC: [TLS] AUTH PLAIN ********\n",
		"* Alice's laptop: Alice writes to bob@example.net",
		"* smtp.example.org: the outgoing server works through its queue",
		"C: QUERY MX example.net.",
		"bob-laptop -> mail.example.net  POP3, port 110",
		"C: [TLS] PASS ********",
	} {
		assert.Contains(t, r.stdout, want)
	}
	assert.NotContains(t, r.stdout, "wonderland")
	assert.NotContains(t, r.stdout, "builder")
	assert.NotContains(t, r.stdout, "   [C ", "TLS records only with --tls")
}

func TestTracePolish(t *testing.T) {
	r := run(t, "trace", "--lang", "pl", "send-pop3")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "* laptop Alice: Alice pisze do bob@example.net")
	assert.Contains(t, r.stdout, "C: EHLO [127.77.1.10]")
	assert.NotContains(t, r.stdout, "clicks Send")
}

func TestTraceJSONWithSecretsAndTLS(t *testing.T) {
	r := run(t, "trace", "send-pop3", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.NotEmpty(t, lines)
	var kinds = map[event.Kind]int{}
	for _, l := range lines {
		var ev event.Event
		require.NoError(t, json.Unmarshal([]byte(l), &ev), l)
		kinds[ev.Kind]++
		if ev.Credential {
			assert.Contains(t, ev.Text, "********")
			assert.Nil(t, ev.Raw)
		}
	}
	assert.Positive(t, kinds[event.KindLine])
	assert.Positive(t, kinds[event.KindAction])

	r = run(t, "trace", "--show-secrets", "--tls", "send-pop3")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "C: [TLS] PASS builder")
	assert.Contains(t, r.stdout, "   [C ", "TLS records shown")
}

func TestSplitPositional(t *testing.T) {
	tests := []struct {
		args       []string
		pos, flags []string
	}{
		{[]string{"send-pop3", "--json"}, []string{"send-pop3"}, []string{"--json"}},
		{[]string{"--json", "send-pop3"}, []string{"send-pop3"}, []string{"--json"}},
		{[]string{"--lang", "de", "send-pop3"}, []string{"send-pop3"}, []string{"--lang", "de"}},
		{[]string{"send-pop3", "--lang", "de"}, []string{"send-pop3"}, []string{"--lang", "de"}},
		{[]string{"-lang=de", "tls", "--tls"}, []string{"tls"}, []string{"-lang=de", "--tls"}},
		{[]string{"--tls", "tls"}, []string{"tls"}, []string{"--tls"}},
		{[]string{"--lang"}, nil, []string{"--lang"}},
		{nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			pos, flags := splitPositional(tc.args)
			assert.Equal(t, tc.pos, pos)
			assert.Equal(t, tc.flags, flags)
		})
	}
}

func TestLangFromEnv(t *testing.T) {
	tests := []struct {
		maillab, lcAll, lang string
		want                 string
	}{
		{"", "", "", "en"},
		{"", "", "de_DE.UTF-8", "de"},
		{"", "pl_PL.UTF-8", "de_DE.UTF-8", "pl"},
		{"DE", "pl_PL", "", "de"},
		{"", "fr_FR.UTF-8", "", "en"},
		{"", "C", "pl_PL", "pl"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q %q %q", tc.maillab, tc.lcAll, tc.lang), func(t *testing.T) {
			t.Setenv("MAILLAB_LANG", tc.maillab)
			t.Setenv("LC_ALL", tc.lcAll)
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", tc.lang)
			assert.Equal(t, tc.want, LangFromEnv())
		})
	}
}

// TestWorldCommand starts the port-map world, which stops at once because
// a signal is already waiting.
func TestWorldCommand(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	var out, errOut bytes.Buffer
	var code, base int
	for range 10 {
		out.Reset()
		errOut.Reset()
		base = 30000 + 100*rand.IntN(100)
		sig := make(chan os.Signal, 1)
		sig <- os.Interrupt
		code = Main([]string{"world", "--port-base", fmt.Sprint(base), "--ca-file", caFile},
			Env{Stdout: &out, Stderr: &errOut, Lang: "en", Signals: sig})
		if code != 1 {
			break
		}
	}
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), fmt.Sprintf("smtp.example.org submission port 587 → 127.0.0.1:%d", base+587))
	assert.Contains(t, out.String(), fmt.Sprintf("mx.example.net smtp port 25 → 127.0.0.1:%d", base+10025))
	assert.Contains(t, out.String(), "alice@example.org  password: wonderland")
	assert.Contains(t, out.String(), "Stopped.")
	assert.NotContains(t, out.String(), "Warning: listening on")
	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	assert.Contains(t, string(pem), "BEGIN CERTIFICATE")
}
