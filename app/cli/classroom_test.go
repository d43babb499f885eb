package cli

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
)

// running starts Main with args and waits until it printed want.
func running(t *testing.T, want string, args ...string) (buf *syncBuf, stop func() int) {
	t.Helper()
	buf = &syncBuf{}
	sig := make(chan os.Signal, 1)
	done := make(chan int, 1)
	go func() { done <- Main(args, Env{Stdout: buf, Stderr: buf, Lang: "en", Signals: sig}) }()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(buf.String(), want) {
		select {
		case code := <-done:
			t.Fatalf("%v ended with %d:\n%s", args, code, buf.String())
		case <-deadline:
			t.Fatalf("%v never printed %q:\n%s", args, want, buf.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return buf, func() int { sig <- os.Interrupt; return <-done }
}

func TestClassroomHostAndJoin(t *testing.T) {
	host, stopHost := running(t, "Room map", "classroom", "host", "--room", "room42", "--bind", "127.88.20.1",
		"--code", "K7Q-M4P", "--join-port", "17625")
	if strings.Contains(host.String(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y")
	}
	assert.Contains(t, host.String(), "Room code:  K7Q-M4P")
	assert.Contains(t, host.String(), "maillab classroom join 127.88.20.1:17625 --code K7Q-M4P --name THEIR-NAME")
	assert.Contains(t, host.String(), "Or scan this QR code (http://127.88.20.1:17625/?code=K7Q-M4P):\n\x1b[30;107m")
	assert.Contains(t, host.String(), "MX 10025, submission 10587 and 10465, POP3 10110 and 10995, IMAP 10143 and 10993")

	ca := filepath.Join(t.TempDir(), "room-ca.pem")
	anna, leave := running(t, "You are in the room", "classroom", "join", "127.88.20.1:17625", "--code", "k7q-m4p",
		"--name", "anna", "--bind", "127.88.20.2", "--password", "secret-anna", "--ca-file", ca)
	assert.Contains(t, anna.String(), "You are the mail provider anna.room42.test.")
	assert.Contains(t, anna.String(), "anna@anna.room42.test  password: secret-anna")
	pem, err := os.ReadFile(ca)
	require.NoError(t, err)
	assert.Contains(t, string(pem), "BEGIN CERTIFICATE")
	require.Eventually(t, func() bool { return strings.Contains(host.String(), "+ anna.room42.test joined from 127.88.20.2") },
		10*time.Second, 20*time.Millisecond)
	// Her provider runs in a world: a classmate's connection is in her
	// live transcript, as an outside client's.
	c, err := net.DialTimeout("tcp", "127.88.20.2:10025", 5*time.Second)
	require.NoError(t, err)
	greeting, err := bufio.NewReader(c).ReadString('\n')
	c.Close()
	require.NoError(t, err)
	assert.Equal(t, "220 mx.anna.room42.test ESMTP Service Ready\r\n", greeting)
	require.Eventually(t, func() bool {
		return strings.Contains(anna.String(), "external -> mx.anna.room42.test smtp/25  S: 220 mx.anna.room42.test ESMTP Service Ready")
	}, 10*time.Second, 20*time.Millisecond, "the transcript shows the greeting")

	// A wrong code: refused, said in the user's words.
	var out syncBuf
	code := Main([]string{"classroom", "join", "127.88.20.1:17625", "--code", "AAA-AAA", "--name", "ben", "--bind", "127.88.20.3",
		"--ca-file", filepath.Join(t.TempDir(), "ca.pem")}, Env{Stdout: &out, Stderr: &out, Lang: "en"})
	assert.Equal(t, 1, code)
	assert.Contains(t, out.String(), "Wrong room code. Type the code your teacher shows.")

	require.Equal(t, 0, leave())
	assert.Contains(t, anna.String(), "You left the room.")
	require.Eventually(t, func() bool { return strings.Contains(host.String(), "- anna.room42.test left the room") },
		10*time.Second, 20*time.Millisecond)
	require.Equal(t, 0, stopHost())
}

func TestClassroomJoinChecksTheName(t *testing.T) {
	var out syncBuf
	code := Main([]string{"classroom", "join", "127.0.0.1", "--code", "X", "--name", "Anna"}, Env{Stdout: &out, Stderr: &out, Lang: "en"})
	assert.Equal(t, 2, code)
	assert.Contains(t, out.String(), "--name Anna does not work")
}

// --challenge hands a challenge out: the host says so, a student who
// joins prints it with its checks and where to solve it.
func TestClassroomHostHandsOutAChallenge(t *testing.T) {
	var bad syncBuf
	code := Main([]string{"classroom", "host", "--bind", "127.88.21.1", "--challenge", "no-such-challenge"}, Env{Stdout: &bad, Stderr: &bad, Lang: "en"})
	assert.Equal(t, 2, code)
	assert.Contains(t, bad.String(), "--challenge no-such-challenge does not work")

	host, stopHost := running(t, "Challenge handed out", "classroom", "host", "--room", "room42", "--bind", "127.88.21.1",
		"--code", "K7Q-M4P", "--join-port", "17626", "--port-offset", "11000", "--challenge", "mx-nowhere")
	if strings.Contains(host.String(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y")
	}
	assert.Contains(t, host.String(), "⚑ Challenge handed out to the room: The MX that is not there")
	anna, leave := running(t, "Maillab checks:", "classroom", "join", "127.88.21.1:17626", "--code", "K7Q-M4P",
		"--name", "anna", "--bind", "127.88.21.2", "--ca-file", filepath.Join(t.TempDir(), "ca.pem"))
	require.Eventually(t, func() bool { return strings.Contains(anna.String(), "Ctrl-C and join again from the Maillab app") },
		10*time.Second, 20*time.Millisecond)
	assert.Contains(t, anna.String(), "⚑ The room's challenge: The MX that is not there")
	assert.Contains(t, anna.String(), "  - A mail from alice@example.org is in the inbox of bob@example.net")
	require.Equal(t, 0, leave())
	require.Equal(t, 0, stopHost())
}

func TestSolvedTally(t *testing.T) {
	t2 := func(key string, p map[string]string) string { return i18n.T("en", key, p) }
	anna := &classroom.Provider{Name: "anna", Domain: "anna.room42.test"}
	ben := &classroom.Provider{Name: "ben", Domain: "ben.room42.test"}
	var s solvedTally
	for _, tc := range []struct {
		change classroom.Change
		want   string
	}{
		{classroom.Change{Kind: classroom.Joined, Provider: anna}, "+ anna.room42.test joined from "},
		{classroom.Change{Kind: classroom.Joined, Provider: ben}, "+ ben.room42.test joined from "},
		{classroom.Change{Kind: classroom.HandedOut, Challenge: &classroom.Challenge{Round: 1, Title: "MX"}}, "⚑ Challenge handed out to the room: MX"},
		{classroom.Change{Kind: classroom.Solved, Provider: anna, Challenge: &classroom.Challenge{Round: 1}}, "★ anna.room42.test solved the challenge (1 of 2 solved)"},
		{classroom.Change{Kind: classroom.Left, Provider: ben}, "- ben.room42.test left the room"},
		{classroom.Change{Kind: classroom.Withdrawn, Challenge: &classroom.Challenge{Round: 2}}, "The room's challenge was withdrawn."},
	} {
		assert.Equal(t, tc.want, s.describe(tc.change, t2))
	}
}
