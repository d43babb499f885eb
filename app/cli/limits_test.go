package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/store"
	"maillab/simulator/world"
)

// The limit flags: what each value turns into in world.Options, and the
// one sentence a nonsense value gets, naming the flag.
func TestLimitFlags(t *testing.T) {
	defaults := world.Options{MaxConns: 200, MaxConnsPerAddr: 50, LoginTimeout: time.Minute,
		StressTimeout: 10 * time.Second, AuthFailureDelay: 2 * time.Second, MailboxQuota: store.DefaultQuota}
	with := func(f func(*world.Options)) world.Options { o := defaults; f(&o); return o }
	tests := []struct {
		name string
		args []string
		want world.Options
		err  string // the whole line on stderr
	}{
		{"defaults", nil, defaults, ""},
		{"counts", []string{"--max-conns", "10", "--max-conns-per-addr", "2"},
			with(func(o *world.Options) { o.MaxConns, o.MaxConnsPerAddr = 10, 2 }), ""},
		{"timeouts", []string{"--login-timeout", "300ms", "--session-timeout", "2m"},
			with(func(o *world.Options) { o.LoginTimeout, o.SessionTimeout = 300*time.Millisecond, 2*time.Minute }), ""},
		{"stress timeout", []string{"--stress-timeout", "3s"},
			with(func(o *world.Options) { o.StressTimeout = 3 * time.Second }), ""},
		{"session 0 is each protocol's own", []string{"--session-timeout", "0"}, defaults, ""},
		{"no pause", []string{"--auth-failure-delay", "0s"},
			with(func(o *world.Options) { o.AuthFailureDelay = -1 }), ""},
		{"pause", []string{"--auth-failure-delay", "500ms"},
			with(func(o *world.Options) { o.AuthFailureDelay = 500 * time.Millisecond }), ""},
		{"quota MiB", []string{"--mailbox-quota", "10MiB"},
			with(func(o *world.Options) { o.MailboxQuota = 10 << 20 }), ""},
		{"quota MB", []string{"--mailbox-quota", "10MB"},
			with(func(o *world.Options) { o.MailboxQuota = 10_000_000 }), ""},
		{"quota octets", []string{"--mailbox-quota", "4096"},
			with(func(o *world.Options) { o.MailboxQuota = 4096 }), ""},
		{"quota lower case", []string{"--mailbox-quota", "512kib"},
			with(func(o *world.Options) { o.MailboxQuota = 512 << 10 }), ""},
		{"no quota", []string{"--mailbox-quota", "0"},
			with(func(o *world.Options) { o.MailboxQuota = -1 }), ""},

		{"negative count", []string{"--max-conns", "-1"}, world.Options{},
			"--max-conns takes a whole number of 1 or more, not -1."},
		{"zero count", []string{"--max-conns-per-addr", "0"}, world.Options{},
			"--max-conns-per-addr takes a whole number of 1 or more, not 0."},
		{"word count", []string{"--max-conns", "many"}, world.Options{},
			"--max-conns takes a whole number of 1 or more, not many."},
		{"zero login timeout", []string{"--login-timeout", "0s"}, world.Options{},
			"--login-timeout takes a duration above 0 such as 300ms, 30s or 5m, not 0s."},
		{"zero stress timeout", []string{"--stress-timeout", "0"}, world.Options{},
			"--stress-timeout takes a duration above 0 such as 300ms, 30s or 5m, not 0."},
		{"no unit", []string{"--login-timeout", "30"}, world.Options{},
			"--login-timeout takes a duration above 0 such as 300ms, 30s or 5m, not 30."},
		{"negative session", []string{"--session-timeout", "-1s"}, world.Options{},
			"--session-timeout takes a duration such as 0s, 500ms or 2s, not -1s."},
		{"negative pause", []string{"--auth-failure-delay", "-2s"}, world.Options{},
			"--auth-failure-delay takes a duration such as 0s, 500ms or 2s, not -2s."},
		{"bad quota unit", []string{"--mailbox-quota", "50 parsecs"}, world.Options{},
			"--mailbox-quota takes a size such as 50MiB, 10MB, 512KiB or 0 (no limit), not 50 parsecs."},
		{"negative quota", []string{"--mailbox-quota", "-5MiB"}, world.Options{},
			"--mailbox-quota takes a size such as 50MiB, 10MB, 512KiB or 0 (no limit), not -5MiB."},
		{"fraction quota", []string{"--mailbox-quota", "1.5GiB"}, world.Options{},
			"--mailbox-quota takes a size such as 50MiB, 10MB, 512KiB or 0 (no limit), not 1.5GiB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// serve hands the parsed limits to env.Serve: nothing listens.
			var got *ServeFlags
			env := Env{Lang: "en", Serve: func(f ServeFlags) int { got = &f; return 0 }}
			var out, errOut strings.Builder
			env.Stdout, env.Stderr = &out, &errOut
			code := Main(append([]string{"serve"}, tt.args...), env)
			if tt.err != "" {
				assert.Equal(t, 2, code)
				assert.Equal(t, tt.err+"\n", errOut.String())
				assert.Nil(t, got, "serve does not start")
				return
			}
			require.Equal(t, 0, code, errOut.String())
			require.NotNil(t, got)
			var o world.Options
			got.Limits.Apply(&o)
			assert.Equal(t, tt.want, o)
		})
	}
}

func TestLimitFlagsSpeakTheUsersLanguage(t *testing.T) {
	var out, errOut strings.Builder
	code := Main([]string{"serve", "--max-conns", "-3"}, Env{Lang: "de", Stdout: &out, Stderr: &errOut,
		Serve: func(ServeFlags) int { return 0 }})
	assert.Equal(t, 2, code)
	assert.Equal(t, "--max-conns erwartet eine ganze Zahl ab 1, nicht -3.\n", errOut.String())

	r := run(t, "world", "--help")
	for _, flag := range []string{"--max-conns N", "--max-conns-per-addr N", "--login-timeout duration", "--stress-timeout duration",
		"--session-timeout duration", "--auth-failure-delay duration", "--mailbox-quota size"} {
		assert.Contains(t, r.stdout, flag)
	}
	assert.Contains(t, r.stdout, `(default 50MiB)`)
	assert.Contains(t, r.stdout, `(default 1m)`)
}

func TestLimitsLine(t *testing.T) {
	l := DefaultLimits()
	assert.Equal(t, "Limits per server: 200 connections, 50 from one address; a client may stay silent 1m before login "+
		"(10s while a server is over 80% full) and the protocol's own time (SMTP 5m, POP3 10m, IMAP 30m) after; 2s pause after a wrong password; "+
		"mailbox quota 50MiB.", l.Describe("en"))
	l = Limits{MaxConns: 1, MaxConnsPerAddr: 1, LoginTimeout: 300 * time.Millisecond, StressTimeout: 200 * time.Millisecond,
		SessionTimeout: 90 * time.Second}
	assert.Equal(t, "Limits per server: 1 connection, 1 from one address; a client may stay silent 300ms before login "+
		"(200ms while a server is over 80% full) and 1m30s after; 0s pause after a wrong password; mailbox quota unlimited.", l.Describe("en"))
	assert.Contains(t, l.Describe("pl"), "1 połączenie,")
	assert.Contains(t, DefaultLimits().Describe("pl"), "200 połączeń,")
}

// The flags reach the servers: with two connections per address the third
// from 127.0.0.1 is refused, and a client silent before login is closed
// after --login-timeout.
func TestWorldLimitFlagsTakeEffect(t *testing.T) {
	var refusal string
	var silentErr error
	out := withWorld(t, func(base int) {
		addr := fmt.Sprintf("127.0.0.1:%d", base+10110)
		dial := func() (net.Conn, *bufio.Reader, string) {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			require.NoError(t, err)
			require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
			r := bufio.NewReader(c)
			l, err := r.ReadString('\n')
			require.NoError(t, err)
			return c, r, strings.TrimSpace(l)
		}
		c1, r1, g1 := dial()
		defer c1.Close()
		c2, _, g2 := dial()
		defer c2.Close()
		require.True(t, strings.HasPrefix(g1, "+OK"), g1)
		require.True(t, strings.HasPrefix(g2, "+OK"), g2)
		c3, _, g3 := dial()
		c3.Close()
		refusal = g3
		// c1 says nothing: the server closes it (after a last -ERR line, if
		// it says why) long before the 10 s deadline.
		_, silentErr = io.ReadAll(r1)
		if silentErr == nil {
			silentErr = io.EOF
		}
	}, "--max-conns-per-addr", "2", "--login-timeout", "300ms", "--auth-failure-delay", "0s")
	assert.True(t, strings.HasPrefix(refusal, "-ERR"), "third connection: %q", refusal)
	assert.True(t, errors.Is(silentErr, io.EOF), "silent connection closed by the server, not the test's deadline: %v", silentErr)
	assert.Contains(t, out, "Limits per server: 200 connections, 2 from one address; a client may stay silent 300ms before login")
	assert.Contains(t, out, "0s pause after a wrong password")
}
