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

// --help and help are the whole map: every command, one line each.
func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}, {}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := Env{Stdout: &out, Stderr: &errOut, Lang: "en", Serve: func(ServeFlags) int { return 0 }}
			require.Equal(t, 0, Main(args, env), errOut.String())
			for _, cmd := range []string{"scenarios", "trace", "world", "serve", "completion", "help"} {
				assert.Regexp(t, `(?m)^  `+cmd+` +\S`, out.String(), "%s has its line", cmd)
			}
			assert.Contains(t, out.String(), i18n.T("en", "cli.cmd.root-long", nil), "what no command does")
			assert.Contains(t, out.String(), "--version")
			assert.NotContains(t, out.String(), "  man ", "the man page generator stays hidden")
		})
	}
	var out bytes.Buffer
	require.Equal(t, 0, Main([]string{"--help"}, Env{Stdout: &out, Stderr: &out, Lang: "de"}))
	assert.Contains(t, out.String(), i18n.T("de", "cli.help.commands", nil), "the help speaks German")
	assert.Contains(t, out.String(), i18n.T("de", "cli.cmd.trace", nil))
}

func TestCommandHelpShowsItsFlags(t *testing.T) {
	r := run(t, "trace", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	for _, flag := range []string{"--json", "--lang", "--show-secrets", "--tls", "--explain", "--pcap", "--keys", "--markdown", "--real-ports"} {
		assert.Contains(t, r.stdout, flag)
	}
	assert.Contains(t, r.stdout, "maillab trace SCENARIO")
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	require.Equal(t, 0, Main([]string{"--version"}, Env{Stdout: &out, Stderr: &out, Version: "v1.2.3-4-gabc"}))
	assert.Equal(t, "maillab v1.2.3-4-gabc\n", out.String())
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := run(t, "completion", shell)
		require.Equal(t, 0, r.code, "%s: %s", shell, r.stderr)
		assert.Contains(t, r.stdout, "maillab", shell)
	}
	// The shell asks the program itself: trace completes the scenario ids.
	r := run(t, "__complete", "trace", "send-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "send-pop3\nsend-imap\n")
	r = run(t, "__complete", "scenarios", "--lang", "")
	assert.Contains(t, r.stdout, "en\nde\npl\n")
}

func TestManPages(t *testing.T) {
	dir := t.TempDir()
	r := run(t, "man", dir)
	require.Equal(t, 0, r.code, r.stderr)
	for _, page := range []string{"maillab.1", "maillab-trace.1", "maillab-world.1", "maillab-scenarios.1"} {
		b, err := os.ReadFile(filepath.Join(dir, page))
		require.NoError(t, err, page)
		assert.Contains(t, string(b), ".TH \"MAILLAB\"", page)
	}
}

// A mistake gets one line, the nearest right word and exit status 2.
func TestUsageMistakes(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"wrold"}, `Unknown command "wrold". Did you mean "world"?`},
		{[]string{"frobnicate"}, `Unknown command "frobnicate".`},
		{[]string{"trace", "send-pop3", "--jsn"}, `Unknown option --jsn for "maillab trace". Did you mean --json?`},
		{[]string{"scenarios", "--bogus"}, `Unknown option --bogus for "maillab scenarios".`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, tc.args...)
			assert.Equal(t, 2, r.code)
			assert.Equal(t, tc.want+"\n", r.stderr, "one line")
			assert.Empty(t, r.stdout)
		})
	}
}

func TestScenarios(t *testing.T) {
	ids := []string{"send-pop3", "send-imap", "pop3-two-devices", "pop3-vs-imap", "tls",
		"bounce", "retry", "retry-giveup", "relay-denied", "bcc", "size-limit", "plaintext-password", "spoofing",
		"imap-resync", "three-providers"}
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

func TestNearestFlag(t *testing.T) {
	root := NewRoot(Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Lang: "en"})
	trace, _, err := root.Find([]string{"trace"})
	require.NoError(t, err)
	for typed, want := range map[string]string{"jsn": "json", "mark": "markdown", "explian": "explain", "tsl": "tls", "zzzzzz": ""} {
		assert.Equal(t, want, nearestFlag(trace, typed), typed)
	}
}
