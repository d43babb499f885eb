package wire_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/pki"
)

func newCA(t *testing.T) *pki.CA {
	t.Helper()
	ca, err := pki.NewCA()
	require.NoError(t, err, "NewCA()")
	return ca
}

func serverConfig(t *testing.T, ca *pki.CA) *tls.Config {
	t.Helper()
	cfg, err := ca.ServerConfig("mx.example.net")
	require.NoError(t, err, "ServerConfig()")
	return cfg
}

// tlsTexts returns the texts of the TLS record events in one direction.
func tlsTexts(log []event.Event, dir event.Dir) []string {
	var out []string
	for _, e := range log {
		if e.Kind == event.KindTLS && e.Dir == dir {
			out = append(out, e.Text)
		}
	}
	return out
}

// assertDecrypted checks the endpoint view of encrypted lines.
func assertDecrypted(t *testing.T, lines []event.Event) {
	t.Helper()
	for _, e := range lines {
		assert.True(t, e.Encrypted, "%s: Encrypted", e.Text)
		assert.Equal(t, e.Text+"\r\n", string(e.Raw), "%s: Raw is the plaintext", e.Text)
		require.NotEmpty(t, e.Wire, "%s: Wire", e.Text)
		assert.Equal(t, byte(23), e.Wire[0], "%s: Wire is an application_data record", e.Text)
		assert.False(t, bytes.Contains(e.Wire, []byte(e.Text)), "%s: Wire is ciphertext", e.Text)
	}
}

func assertHandshakeSeen(t *testing.T, log []event.Event) {
	t.Helper()
	c, s := tlsTexts(log, event.ClientToServer), tlsTexts(log, event.ServerToClient)
	require.NotEmpty(t, c)
	require.NotEmpty(t, s)
	assert.Equal(t, "TLS ClientHello", c[0])
	assert.Regexp(t, `^TLS ServerHello \(X25519, TLS_[A-Z0-9_]+\)$`, s[0], "the key exchange and suite the server chose")
	assert.Contains(t, strings.Join(s, ";"), "Finished", "the server flight was decrypted")
	assert.Contains(t, strings.Join(c, ";"), "Finished", "the client Finished was decrypted")
	for _, text := range append(c, s...) {
		assert.NotContains(t, text, "encrypted record", "every record was decrypted")
	}
}

func TestImplicitTLS(t *testing.T) {
	ca := newCA(t)
	cond := newConductor(t, conductor.Instant)
	srv := newLineServer()
	cfg := serverConfig(t, ca)
	addr := srv.serve(t, cond, ca.KeyLog, func(l net.Listener) net.Listener { return tls.NewListener(l, cfg) })

	conn, err := tls.Dial("tcp", addr, ca.ClientConfig("mx.example.net"))
	require.NoError(t, err, "tls.Dial()")
	t.Cleanup(func() { conn.Close() })
	cl := &client{t: t, conn: conn}
	cl.r = newReader(conn)
	cl.send("HELLO\r\n")
	assert.Equal(t, "echo: HELLO", cl.readLine())
	cl.send("QUIT\r\n")
	assert.Equal(t, "221 bye", cl.readLine())
	t.Logf("suite %s", tls.CipherSuiteName(receive(t, srv.suites, "handshake")))

	log := cond.Log()
	lines := linesOf(log)
	assert.Equal(t, []string{"C: HELLO", "S: echo: HELLO", "C: QUIT", "S: 221 bye"}, transcript(lines))
	assertDecrypted(t, lines)
	assertHandshakeSeen(t, log)
	assert.Equal(t, event.KindOpen, log[0].Kind)
	assert.Equal(t, "bob-phone", log[0].Client)
	assert.Equal(t, "mx.example.net", lines[0].Server)
}

func TestSTARTTLS(t *testing.T) {
	ca := newCA(t)
	cond := newConductor(t, conductor.Instant)
	srv := newLineServer()
	srv.tls = serverConfig(t, ca)
	addr := srv.serve(t, cond, ca.KeyLog, nil)

	cl := dial(t, addr)
	cl.send("EHLO client\r\n")
	assert.Equal(t, "echo: EHLO client", cl.readLine())
	cl.send("STARTTLS\r\n")
	assert.Equal(t, "220 go ahead", cl.readLine())
	tc := tls.Client(cl.conn, ca.ClientConfig("mx.example.net"))
	require.NoError(t, tc.Handshake(), "Handshake()")
	cl.conn, cl.r = tc, newReader(tc)
	cl.send("EHLO client\r\n")
	assert.Equal(t, "echo: EHLO client", cl.readLine())
	cl.send("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n")
	assert.Equal(t, "echo: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", cl.readLine())
	cl.send("QUIT\r\n")
	assert.Equal(t, "221 bye", cl.readLine())

	log := cond.Log()
	lines := linesOf(log)
	require.Equal(t, []string{"C: EHLO client", "S: echo: EHLO client", "C: STARTTLS", "S: 220 go ahead",
		"C: EHLO client", "S: echo: EHLO client", "C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=",
		"S: echo: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "C: QUIT", "S: 221 bye"}, transcript(lines))
	for _, e := range lines[:4] {
		assert.False(t, e.Encrypted, "%s before STARTTLS", e.Text)
		assert.Nil(t, e.Wire)
		assert.Equal(t, e.Text+"\r\n", string(e.Raw))
	}
	assertDecrypted(t, lines[4:])
	assert.True(t, lines[6].Credential, "AUTH PLAIN carries a password")
	assertHandshakeSeen(t, log)
}

// openssl forces each TLS 1.3 suite, which Go's client cannot choose.
func TestEverySuiteWithOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	suites := map[string]uint16{
		"TLS_AES_128_GCM_SHA256":       tls.TLS_AES_128_GCM_SHA256,
		"TLS_AES_256_GCM_SHA384":       tls.TLS_AES_256_GCM_SHA384,
		"TLS_CHACHA20_POLY1305_SHA256": tls.TLS_CHACHA20_POLY1305_SHA256,
	}
	for name, id := range suites {
		t.Run(name, func(t *testing.T) {
			ca := newCA(t)
			cond := newConductor(t, conductor.Instant)
			srv := newLineServer()
			cfg := serverConfig(t, ca)
			addr := srv.serve(t, cond, ca.KeyLog, func(l net.Listener) net.Listener { return tls.NewListener(l, cfg) })

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, openssl, "s_client", "-connect", addr, "-servername", "mx.example.net",
				"-tls1_3", "-ciphersuites", name, "-quiet", "-crlf")
			cmd.Stdin = strings.NewReader("HELLO\nQUIT\n")
			out, err := cmd.Output()
			require.NoError(t, err, "openssl s_client")
			assert.Contains(t, string(out), "echo: HELLO")
			assert.Equal(t, id, receive(t, srv.suites, "handshake"), "negotiated suite")

			log := cond.Log()
			lines := linesOf(log)
			// openssl may send both lines at once: compare each direction.
			assert.Equal(t, []string{"C: HELLO", "C: QUIT"}, transcript(only(lines, event.ClientToServer)))
			assert.Equal(t, []string{"S: echo: HELLO", "S: 221 bye"}, transcript(only(lines, event.ServerToClient)))
			assertDecrypted(t, lines)
			assertHandshakeSeen(t, log)
		})
	}
}

func only(evs []event.Event, dir event.Dir) []event.Event {
	var out []event.Event
	for _, e := range evs {
		if e.Dir == dir {
			out = append(out, e)
		}
	}
	return out
}

// Handshake records are not held, so a TLS client connects in step mode;
// its encrypted lines are then held one per step like plaintext ones.
func TestTLSInStepMode(t *testing.T) {
	ca := newCA(t)
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	cfg := serverConfig(t, ca)
	addr := srv.serve(t, cond, ca.KeyLog, func(l net.Listener) net.Listener { return tls.NewListener(l, cfg) })

	conn, err := tls.Dial("tcp", addr, ca.ClientConfig("mx.example.net"))
	require.NoError(t, err, "tls.Dial() needs no step")
	t.Cleanup(func() { conn.Close() })
	cl := &client{t: t, conn: conn, r: newReader(conn)}
	cl.readAsync()
	cl.send("HELLO\r\n")
	step(t, cond, "C: HELLO")
	assert.Equal(t, "HELLO", receive(t, srv.got, "HELLO"))
	step(t, cond, "S: echo: HELLO")
	assert.Equal(t, "echo: HELLO", receive(t, cl.lines, "echo"))
	assertDecrypted(t, linesOf(cond.Log()))
}

// The ServerHello line names the key exchange the server chose: what the
// client's key share offered, or a HelloRetryRequest asking for another.
func TestServerHelloNamesTheKeyExchange(t *testing.T) {
	for _, tc := range []struct {
		name           string
		server, client []tls.CurveID
		want           []string
	}{
		{"X25519", nil, nil, []string{`^TLS ServerHello \(X25519, TLS_`}},
		{"a client with only P-256", nil, []tls.CurveID{tls.CurveP256}, []string{`^TLS ServerHello \(P-256, TLS_`}},
		{"Go's default with the post-quantum hybrid", []tls.CurveID{tls.X25519MLKEM768, tls.X25519}, []tls.CurveID{tls.X25519MLKEM768, tls.X25519},
			[]string{`^TLS ServerHello \(X25519MLKEM768, TLS_`}},
		{"a share the server does not take", []tls.CurveID{tls.CurveP384}, []tls.CurveID{tls.X25519, tls.CurveP384},
			[]string{`^TLS HelloRetryRequest \(P-384, TLS_`, `^TLS ServerHello \(P-384, TLS_`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ca := newCA(t)
			cond := newConductor(t, conductor.Instant)
			srv := newLineServer()
			cfg := serverConfig(t, ca)
			if tc.server != nil {
				cfg.CurvePreferences = tc.server
			}
			addr := srv.serve(t, cond, ca.KeyLog, func(l net.Listener) net.Listener { return tls.NewListener(l, cfg) })
			ccfg := ca.ClientConfig("mx.example.net").Clone()
			if tc.client != nil {
				ccfg.CurvePreferences = tc.client
			}
			conn, err := tls.Dial("tcp", addr, ccfg)
			require.NoError(t, err, "tls.Dial()")
			t.Cleanup(func() { conn.Close() })
			cl := &client{t: t, conn: conn}
			cl.r = newReader(conn)
			cl.send("QUIT\r\n")
			assert.Equal(t, "221 bye", cl.readLine())
			var hellos []string
			for _, text := range tlsTexts(cond.Log(), event.ServerToClient) {
				if strings.Contains(text, "Hello") {
					hellos = append(hellos, text)
				}
			}
			require.Len(t, hellos, len(tc.want), "%q", hellos)
			for i, re := range tc.want {
				assert.Regexp(t, re, hellos[i])
			}
		})
	}
}
