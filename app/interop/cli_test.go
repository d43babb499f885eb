package interop_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/app/cli"
	"maillab/simulator/event"
)

// syncBuffer is a bytes.Buffer the world's printer and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cliWorld is `maillab world` running in a goroutine.
type cliWorld struct {
	env            *env // only base and ca are set: the world is the CLI's
	stdout, stderr *syncBuffer
	signals        chan os.Signal
	exit           chan int
}

const readyText = "The mail world is running"

// startCLIWorld runs `maillab world` at a random free port base and
// waits until it says it is ready.
func startCLIWorld(t *testing.T) *cliWorld {
	t.Helper()
	for range 12 {
		base := pickBase()
		cw := &cliWorld{env: &env{base: base, ca: filepath.Join(t.TempDir(), "ca.pem")},
			stdout: &syncBuffer{}, stderr: &syncBuffer{}, signals: make(chan os.Signal, 1), exit: make(chan int, 1)}
		args := []string{"world", "--port-base", strconv.Itoa(base), "--ca-file", cw.env.ca}
		go func() {
			cw.exit <- cli.Main(args, cli.Env{Stdout: cw.stdout, Stderr: cw.stderr, Lang: "en", Signals: cw.signals})
		}()
		if cw.waitReady(t) {
			return cw
		}
		require.Contains(t, cw.stderr.String(), "address already in use", "`maillab world` failed: %s", cw.stderr)
	}
	t.Fatal("no free port base for `maillab world`")
	return nil
}

// waitReady waits for the ready line (true) or an early exit (false).
func (cw *cliWorld) waitReady(t *testing.T) bool {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(cw.stdout.String(), readyText) {
		select {
		case code := <-cw.exit:
			require.Equal(t, 1, code, "exit code of a world that could not start")
			return false
		case <-deadline:
			t.Fatalf("`maillab world` never got ready:\n%s\n%s", cw.stdout, cw.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	return true
}

// stop sends the signal and returns the exit code.
func (cw *cliWorld) stop(t *testing.T) int {
	t.Helper()
	cw.signals <- os.Interrupt
	select {
	case code := <-cw.exit:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("`maillab world` did not stop after the signal")
		return -1
	}
}

// TestCLIWorld: `maillab world` serves curl, prints every line of the
// trip live (AUTH redacted) and stops cleanly on a signal.
func TestCLIWorld(t *testing.T) {
	cw := startCLIWorld(t)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cw.stop(t)
		}
	})
	out := cw.stdout.String()
	assert.Contains(t, out, "smtp.example.org submission port 587 → 127.0.0.1:"+cw.env.orgPort(portSubmission))
	assert.Contains(t, out, "mail.example.net pop3 port 110 → 127.0.0.1:"+cw.env.netPort(portPOP3))

	cw.env.curlSend(t, "smtp://127.0.0.1:"+cw.env.orgPort(portSubmission), "through the CLI world")
	// The queue delivers on its own: wait for the MDA's reply on LMTP.
	lmtpDone := regexp.MustCompile(`mx\.example\.net -> mda\.example\.net lmtp/24  S: 250 `)
	require.Eventually(t, func() bool { return lmtpDone.MatchString(cw.stdout.String()) }, 10*time.Second,
		20*time.Millisecond, "no LMTP delivery printed:\n%s", cw.stdout)
	body := cw.env.curlBob(t, "pop3://127.0.0.1:"+cw.env.netPort(portPOP3)+"/1")
	assert.Contains(t, body, "Subject: through the CLI world")

	// Lines reach the terminal within the printer's flush interval.
	pop3Seen := regexp.MustCompile(`external -> mail\.example\.net pop3/110  [CS]: \[TLS\] \+OK`)
	require.Eventually(t, func() bool { return pop3Seen.MatchString(cw.stdout.String()) }, 10*time.Second,
		20*time.Millisecond, "no POP3 session printed:\n%s", cw.stdout)
	out = cw.stdout.String()
	for _, want := range []string{
		`external -> smtp\.example\.org submission/587  C: EHLO `,
		`external -> smtp\.example\.org submission/587  C: \[TLS\] AUTH PLAIN`,
		`external -> smtp\.example\.org submission/587  C: \[TLS\] \*{8}\n`, // the redacted PLAIN response
		`smtp\.example\.org -> dns dns/53  C: QUERY MX example\.net\.`,
		`smtp\.example\.org -> mx\.example\.net smtp/25  C: .*MAIL FROM:<alice@example\.org>`,
		`external -> mail\.example\.net pop3/110  C: STLS`,
	} {
		assert.Regexp(t, want, out)
	}
	assertNoSecrets(t, afterLine(out, readyText), "alice@example.org", "wonderland")

	stopped = true
	assert.Equal(t, 0, cw.stop(t), "exit code after the signal")
	out = cw.stdout.String()
	assert.Contains(t, out, "Stopping: closing every connection…")
	assert.True(t, strings.HasSuffix(out, "Stopped.\n"), "last line of:\n%s", lastLines(out, 3))
}

// TestCLIErrors: wrong arguments exit 2 with a message that says why.
func TestCLIErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown scenario", []string{"trace", "nope"}, `Unknown scenario "nope"`},
		{"port base too low", []string{"world", "--port-base", "99"}, "--port-base must be between 1024 and 45000"},
		{"port base too high", []string{"world", "--port-base", "60000"}, "not 60000"},
		{"unknown command", []string{"wrold"}, `Unknown command "wrold"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			code := cli.Main(tc.args, cli.Env{Stdout: &stdout, Stderr: &stderr, Lang: "en"})
			assert.Equal(t, 2, code, "exit code")
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
}

// TestCLITraceJSON: `trace send-pop3 --json` prints one event per line,
// and no password is in it, in clear or in base64.
func TestCLITraceJSON(t *testing.T) {
	var stdout, stderr syncBuffer
	code := cli.Main([]string{"trace", "send-pop3", "--json"}, cli.Env{Stdout: &stdout, Stderr: &stderr, Lang: "en"})
	require.Equal(t, 0, code, "exit code; stderr: %s", stderr.String())
	out := stdout.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Greater(t, len(lines), 20, "events")
	var creds int
	for i, l := range lines {
		require.True(t, json.Valid([]byte(l)), "line %d is not JSON: %s", i+1, l)
		var ev event.Event
		require.NoError(t, json.Unmarshal([]byte(l), &ev), "line %d", i+1)
		assert.NotZero(t, ev.Seq, "line %d has no seq", i+1)
		if ev.Credential {
			creds++
			assert.True(t, strings.HasSuffix(ev.Text, "********"), "credential line %q", ev.Text)
			assert.Empty(t, ev.Raw, "credential line keeps raw bytes")
		}
		assertNoSecrets(t, ev.Text+"\n"+string(ev.Raw), "alice@example.org", "wonderland")
		assertNoSecrets(t, ev.Text+"\n"+string(ev.Raw), "bob@example.net", "builder")
	}
	assert.Positive(t, creds, "the scenario logs in, so some lines are credentials")
	assertNoSecrets(t, out, "alice@example.org", "wonderland")
	assertNoSecrets(t, out, "bob@example.net", "builder")
}

// assertNoSecrets checks s for the password and its base64 forms (alone,
// as SASL PLAIN, as the PLAIN with an authorisation identity).
func assertNoSecrets(t *testing.T, s, user, pass string) {
	t.Helper()
	b64 := base64.StdEncoding.EncodeToString
	for _, secret := range []string{pass, b64([]byte(pass)), b64([]byte("\x00" + user + "\x00" + pass)),
		b64([]byte(user + "\x00" + user + "\x00" + pass))} {
		assert.NotContains(t, s, secret)
	}
}

// afterLine is the text after the first line containing marker (the
// world's banner lists the demo passwords on purpose).
func afterLine(s, marker string) string {
	_, rest, _ := strings.Cut(s, marker)
	return rest
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
