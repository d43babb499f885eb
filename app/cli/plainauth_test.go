package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// pop3User types CAPA and USER on port 110, as a student with telnet
// would, and returns the reply to USER.
func pop3User(t *testing.T, addr string) string {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	r := bufio.NewReader(c)
	_, err = r.ReadString('\n')
	require.NoError(t, err)
	fmt.Fprint(c, "USER bob@example.net\r\n")
	l, err := r.ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(l)
}

// worldWith runs `maillab world` with args until the test has looked at
// its POP3 server on 110.
func worldWith(t *testing.T, args ...string) (out string, userReply string) {
	out = withWorld(t, func(base int) { userReply = pop3User(t, fmt.Sprintf("127.0.0.1:%d", base+10110)) }, args...)
	return out, userReply
}

// withWorld runs `maillab world` with args on a free port base, calls
// look with that base once the world is up, stops it and returns all it
// printed.
func withWorld(t *testing.T, look func(base int), args ...string) string {
	var buf syncBuf
	for range 10 {
		base := 30000 + 100*rand.IntN(100)
		sig := make(chan os.Signal)
		done := make(chan int, 1)
		full := append([]string{"world", "--port-base", fmt.Sprint(base), "--ca-file",
			filepath.Join(t.TempDir(), "ca.pem")}, args...)
		go func() { done <- Main(full, Env{Stdout: &buf, Stderr: &buf, Lang: "en", Signals: sig}) }()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(buf.String(), "Traffic") && time.Now().Before(deadline) {
			select {
			case code := <-done:
				require.Equal(t, 1, code, buf.String()) // ports taken: try another base
				deadline = time.Time{}
			case <-time.After(20 * time.Millisecond):
			}
		}
		if deadline.IsZero() {
			continue
		}
		look(base)
		sig <- os.Interrupt
		require.Equal(t, 0, <-done)
		return buf.String()
	}
	t.Fatal("no free port base")
	return ""
}

func TestWorldRefusesPlaintextPasswordsByDefault(t *testing.T) {
	out, reply := worldWith(t)
	assert.True(t, strings.HasPrefix(reply, "-ERR [AUTH] "), reply)
	assert.NotContains(t, out, "--allow-plaintext-auth is on")
}

func TestWorldAllowPlaintextAuth(t *testing.T) {
	out, reply := worldWith(t, "--allow-plaintext-auth")
	assert.True(t, strings.HasPrefix(reply, "+OK"), reply)
	assert.Contains(t, out, "--allow-plaintext-auth is on")
}
