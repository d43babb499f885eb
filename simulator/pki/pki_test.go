package pki

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newCA(t *testing.T) *CA {
	t.Helper()
	ca, err := NewCA()
	require.NoError(t, err, "NewCA()")
	return ca
}

func leaf(t *testing.T, ca *CA, host string) *x509.Certificate {
	t.Helper()
	c, err := ca.Certificate(host)
	require.NoError(t, err, "Certificate(%q)", host)
	require.Len(t, c.Certificate, 2, "leaf and CA")
	cert, err := x509.ParseCertificate(c.Certificate[0])
	require.NoError(t, err)
	return cert
}

func TestLeafVerifiesAgainstPool(t *testing.T) {
	ca := newCA(t)
	cert := leaf(t, ca, "mail.example.org")
	for _, name := range []string{"mail.example.org", "localhost", "127.0.0.1", "::1"} {
		t.Run(name, func(t *testing.T) {
			_, err := cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: name})
			assert.NoError(t, err)
		})
	}
	t.Run("other host", func(t *testing.T) {
		_, err := cert.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "mail.example.net"})
		assert.Error(t, err)
	})
	t.Run("other CA", func(t *testing.T) {
		_, err := cert.Verify(x509.VerifyOptions{Roots: newCA(t).Pool(), DNSName: "mail.example.org"})
		assert.Error(t, err)
	})
}

func TestCertificateIsCached(t *testing.T) {
	ca := newCA(t)
	a, err := ca.Certificate("smtp.example.org")
	require.NoError(t, err)
	b, err := ca.Certificate("smtp.example.org")
	require.NoError(t, err)
	assert.Same(t, a, b)
	c, err := ca.Certificate("smtp.example.net")
	require.NoError(t, err)
	assert.NotSame(t, a, c)
}

func TestConfigsAreTLS13Only(t *testing.T) {
	ca := newCA(t)
	srv, err := ca.ServerConfig("smtp.example.org")
	require.NoError(t, err)
	cli := ca.ClientConfig("smtp.example.org")
	for name, cfg := range map[string]*tls.Config{"server": srv, "client": cli} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, uint16(tls.VersionTLS13), cfg.MinVersion)
			assert.Same(t, ca.KeyLog, cfg.KeyLogWriter)
			assert.Equal(t, "smtp.example.org", cfg.ServerName)
		})
	}
	assert.Same(t, ca.Pool(), cli.RootCAs)
	require.Len(t, srv.Certificates, 1)

	t.Run("a TLS 1.2 client is refused", func(t *testing.T) {
		old := ca.ClientConfig("smtp.example.org")
		old.MinVersion, old.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		_, cerr, serr := handshake(t, srv, old)
		assert.Error(t, cerr)
		assert.Error(t, serr)
	})
}

// recorder keeps the first bytes a client writes: its ClientHello.
type recorder struct {
	net.Conn
	mu    sync.Mutex
	wrote []byte
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	if len(r.wrote) < 64 {
		r.wrote = append(r.wrote, p...)
	}
	r.mu.Unlock()
	return r.Conn.Write(p)
}

// clientRandom is at offset 11 of the first record: 5 bytes record
// header, 4 bytes handshake header, 2 bytes legacy_version (RFC 8446 §4.1.2).
func (r *recorder) clientRandom(t *testing.T) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.GreaterOrEqual(t, len(r.wrote), 43)
	require.Equal(t, byte(22), r.wrote[0], "handshake record")
	require.Equal(t, byte(1), r.wrote[5], "ClientHello")
	return append([]byte(nil), r.wrote[11:43]...)
}

// handshake runs a TLS exchange over net.Pipe: the server sends "hello"
// and closes, so the client also reads the session ticket.
func handshake(t *testing.T, srv, cli *tls.Config) (rec *recorder, cerr, serr error) {
	t.Helper()
	a, b := net.Pipe()
	rec = &recorder{Conn: b}
	done := make(chan error, 1)
	go func() {
		s := tls.Server(a, srv)
		defer s.Close()
		if err := s.Handshake(); err != nil {
			done <- err
			return
		}
		_, err := s.Write([]byte("hello"))
		done <- err
	}()
	c := tls.Client(rec, cli)
	cerr = c.Handshake()
	if cerr == nil {
		var got []byte
		got, cerr = io.ReadAll(c)
		if cerr == nil && string(got) != "hello" {
			cerr = io.ErrUnexpectedEOF
		}
	}
	c.Close()
	serr = <-done
	return rec, cerr, serr
}

func TestHandshakeFillsKeyLog(t *testing.T) {
	ca := newCA(t)
	srv, err := ca.ServerConfig("mail.example.net")
	require.NoError(t, err)
	rec, cerr, serr := handshake(t, srv, ca.ClientConfig("mail.example.net"))
	require.NoError(t, cerr, "client")
	require.NoError(t, serr, "server")

	random := rec.clientRandom(t)
	for _, label := range []string{"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
		"CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
		assert.Len(t, ca.KeyLog.Secret(random, label), 32, label+" (SHA-256 suites)")
	}
	assert.Nil(t, ca.KeyLog.Secret(random, "NO_SUCH_LABEL"))
	other := append([]byte(nil), random...)
	other[0] ^= 0xff
	assert.Nil(t, ca.KeyLog.Secret(other, "CLIENT_TRAFFIC_SECRET_0"))

	want := "CLIENT_TRAFFIC_SECRET_0 " + hex.EncodeToString(random) + " " +
		hex.EncodeToString(ca.KeyLog.Secret(random, "CLIENT_TRAFFIC_SECRET_0"))
	assert.Contains(t, ca.KeyLog.Lines(), want, "NSS key log format")
}

func TestKeyLogIgnoresMalformedLines(t *testing.T) {
	random := strings.Repeat("ab", 32)
	input := strings.Join([]string{
		"",
		"# a comment line",
		"CLIENT_RANDOM " + random, // two fields
		"CLIENT_RANDOM " + random + " zz-not-hex",                      // secret not hex
		"CLIENT_RANDOM " + random + " 0011 extra",                      // four fields
		"CLIENT_TRAFFIC_SECRET_0 " + strings.ToUpper(random) + " 00ff", // valid, upper-case random
	}, "\n") + "\n"
	k := NewKeyLog()
	n, err := k.Write([]byte(input))
	require.NoError(t, err)
	assert.Equal(t, len(input), n, "Write consumes everything")
	assert.Len(t, k.Lines(), 1)

	cr, err := hex.DecodeString(random)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x00, 0xff}, k.Secret(cr, "CLIENT_TRAFFIC_SECRET_0"))
	assert.Nil(t, k.Secret(cr, "CLIENT_RANDOM"))
}

func TestKeyLogLinesIsACopy(t *testing.T) {
	k := NewKeyLog()
	_, err := k.Write([]byte("L " + strings.Repeat("01", 32) + " 02\n"))
	require.NoError(t, err)
	lines := k.Lines()
	lines[0] = "changed"
	assert.NotEqual(t, "changed", k.Lines()[0])
}

func TestWriteFile(t *testing.T) {
	ca := newCA(t)
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, ca.WriteFile(path))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, ca.PEM(), b)
	block, rest := pem.Decode(b)
	require.NotNil(t, block)
	assert.Empty(t, rest)
	assert.Equal(t, "CERTIFICATE", block.Type)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, cert.IsCA)
	assert.Equal(t, "Maillab teaching CA", cert.Subject.CommonName)
	assert.Error(t, ca.WriteFile(filepath.Join(t.TempDir(), "missing", "ca.pem")))
}

// A symlink planted where the CA goes is replaced, not written through,
// and nothing is left behind.
func TestWriteFileReplacesASymlink(t *testing.T) {
	ca := newCA(t)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("secret"), 0o600))
	path := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.Symlink(victim, path))
	require.NoError(t, ca.WriteFile(path))
	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "secret", string(b), "the symlink's target is untouched")
	fi, err := os.Lstat(path)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular(), "the CA is a file of its own now")
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 2, "no temporary file left")
}

// resumed runs one TLS connection over a pipe and reports whether the
// client resumed a session. The client reads one byte so that it takes
// the server's NewSessionTicket in (RFC 8446 §4.6.1).
func resumed(t *testing.T, server, client *tls.Config) bool {
	t.Helper()
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	done := make(chan error, 1)
	go func() {
		s := tls.Server(a, server)
		if err := s.Handshake(); err != nil {
			done <- err
			return
		}
		_, err := s.Write([]byte("x"))
		done <- err
	}()
	c := tls.Client(b, client)
	require.NoError(t, c.Handshake())
	_, err := io.ReadFull(c, make([]byte, 1))
	require.NoError(t, err)
	require.NoError(t, <-done)
	return c.ConnectionState().DidResume
}

func TestClientResumesOnlyItsOwnSessions(t *testing.T) {
	ca := newCA(t)
	server, err := ca.ServerConfig("mx.example.net")
	require.NoError(t, err)
	mta, laptop := ca.NewClient(), ca.NewClient()
	require.Same(t, mta.Config("mx.example.net"), mta.Config("mx.example.net"), "one config per host")

	assert.False(t, resumed(t, server, mta.Config("mx.example.net")), "first handshake is a full one")
	assert.True(t, resumed(t, server, mta.Config("mx.example.net")), "second one resumes")
	assert.False(t, resumed(t, server, laptop.Config("mx.example.net")), "another client has no ticket")
	assert.False(t, resumed(t, server, ca.ClientConfig("mx.example.net")), "ClientConfig keeps no sessions")
	assert.False(t, resumed(t, server, ca.ClientConfig("mx.example.net")))
	require.Same(t, ca.ClientConfig("mx.example.net"), ca.ClientConfig("mx.example.net"))
}

// TestKeyLogKeepsTheLatestSessions: past MaxKeyLogSessions the oldest
// sessions' secrets and lines go; the newest stay.
func TestKeyLogKeepsTheLatestSessions(t *testing.T) {
	k := NewKeyLog()
	random := func(i int) []byte {
		b := make([]byte, 32)
		b[0], b[1] = byte(i>>8), byte(i)
		return b
	}
	total := MaxKeyLogSessions + MaxKeyLogSessions/8 + 1
	for i := range total {
		for _, label := range []string{"CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"} {
			_, err := k.Write([]byte(label + " " + hex.EncodeToString(random(i)) + " 0102\n"))
			require.NoError(t, err)
		}
	}
	assert.Nil(t, k.Secret(random(0), "CLIENT_TRAFFIC_SECRET_0"), "the oldest session is forgotten")
	assert.Equal(t, []byte{1, 2}, k.Secret(random(total-1), "SERVER_TRAFFIC_SECRET_0"), "the newest is kept")
	lines := k.Lines()
	assert.Len(t, lines, 2*MaxKeyLogSessions)
	assert.True(t, strings.Contains(lines[len(lines)-1], hex.EncodeToString(random(total-1))), "oldest first")
}
