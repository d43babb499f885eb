package cli

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/worldspec"
)

// --save-world --third-provider writes a world with example.com, Erin's
// account and her laptop; run with --world, it starts example.com.
func TestSaveWorldThirdProvider(t *testing.T) {
	r := run(t, "world", "--third-provider", "--save-world", "-")
	require.Equal(t, 0, r.code, r.stderr)
	s, err := worldspec.Load(strings.NewReader(r.stdout))
	require.NoError(t, err, r.stdout)
	assert.Equal(t, []string{"example.org", "example.net", "example.com"}, s.Domains())
	assert.Equal(t, worldspec.ThirdProvider(), *s.Provider("example.com"))
	assert.Equal(t, worldspec.ThirdDevice(), *s.Device("erin-laptop"))

	plain := run(t, "world", "--save-world", "-")
	require.Equal(t, 0, plain.code, plain.stderr)
	assert.NotContains(t, plain.stdout, "example.com", "without the flag, two providers")
}

// `maillab world --third-provider` prints example.com's ports (base +
// 20000) and Erin's account, and example.com answers there.
func TestWorldThirdProvider(t *testing.T) {
	var greeting string
	var base int
	out := withWorld(t, func(b int) {
		base = b
		greeting = smtpGreeting(t, fmt.Sprintf("127.0.0.1:%d", b+20025))
	}, "--third-provider")
	assert.True(t, strings.HasPrefix(greeting, "220 mx.example.com "), greeting)
	for _, row := range []string{
		fmt.Sprintf("  mx.example.com smtp port 25 → 127.0.0.1:%d", base+20025),
		fmt.Sprintf("  smtp.example.com submission port 587 → 127.0.0.1:%d", base+20587),
		fmt.Sprintf("  mail.example.com imaps port 993 → 127.0.0.1:%d", base+20993),
		fmt.Sprintf("  mx.example.net smtp port 25 → 127.0.0.1:%d", base+10025),
		"  erin@example.com  password: explorer",
		"  alice@example.org  password: wonderland",
	} {
		assert.Contains(t, out, row)
	}
}

// A world file with example.com runs it too; a port base too high for its
// ports is refused before anything starts.
func TestWorldThirdProviderPortBase(t *testing.T) {
	r := run(t, "world", "--third-provider", "--port-base", "45000")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "--port-base must be at most 44540 with the third provider (example.com listens at the base + 20000 "+
		"and its ports must stay below 65536), not 45000.\n", r.stderr)

	s := worldspec.Default()
	s.AddThirdProvider()
	text, err := worldspec.Marshal(s)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "w.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	r = run(t, "world", "--world", path, "--port-base", "44600")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--port-base must be at most 44540")
}

// smtpGreeting is the first line an SMTP server at addr sends.
func smtpGreeting(t *testing.T, addr string) string {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	l, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(l)
}
