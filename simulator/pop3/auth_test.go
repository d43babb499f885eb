package pop3

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/pki"
)

// plain is a base64 SASL PLAIN response (RFC 4616).
func plain(authz, user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(authz + "\x00" + user + "\x00" + pass))
}

func TestAuthPlain(t *testing.T) {
	ts := start(t, Options{})
	tests := []struct {
		name  string
		steps []step
	}{
		{"initial response", []step{{send: "AUTH PLAIN " + plain("", alice, alicePass), want: "+OK " + alice + "'s maildrop"}}},
		{"lower-case mechanism", []step{{send: "auth plain " + plain("", alice, alicePass), want: "+OK"}}},
		{"authzid equal to user", []step{{send: "AUTH PLAIN " + plain(alice, alice, alicePass), want: "+OK"}}},
		{"continuation", []step{{send: "AUTH PLAIN", want: "+ "},
			{send: plain("", alice, alicePass), want: "+OK " + alice + "'s maildrop"}}},
		{"cancel", []step{{send: "AUTH PLAIN", want: "+ "}, {send: "*", want: "-ERR authentication cancelled"},
			{send: "NOOP", want: "-ERR NOOP not allowed before login"}}},
		{"wrong password", []step{{send: "AUTH PLAIN " + plain("", alice, "x"), want: "-ERR [AUTH] invalid user name or password"}}},
		{"wrong password continued", []step{{send: "AUTH PLAIN", want: "+ "},
			{send: plain("", alice, "x"), want: "-ERR [AUTH]"}}},
		{"other authzid", []step{{send: "AUTH PLAIN " + plain(bob, alice, alicePass), want: "-ERR [AUTH]"}}},
		{"empty response", []step{{send: "AUTH PLAIN =", want: "-ERR [AUTH]"}}},
		{"not base64", []step{{send: "AUTH PLAIN !!!", want: "-ERR invalid base64"}}},
		{"not base64 continued", []step{{send: "AUTH PLAIN", want: "+ "}, {send: "!!!", want: "-ERR invalid base64"}}},
		{"line break in user", []step{{send: "AUTH PLAIN " + plain("", "a\r\nb", "x"), want: "-ERR [AUTH]"}}},
		{"too many arguments", []step{{send: "AUTH PLAIN a b", want: "-ERR syntax"}}},
		{"over-long continuation", []step{{send: "AUTH PLAIN", want: "+ "},
			{send: strings.Repeat("A", 5000), want: "-ERR line too long"}, {send: "QUIT", want: "+OK"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runScript(t, ts.connect(t), tc.steps)
		})
	}
}

func TestAPOP(t *testing.T) {
	ts := start(t, Options{})
	r := ts.dial(t)
	stamp := apopTimestamp(r.expect("+OK"))
	require.NotEmpty(t, stamp)
	r.cmd("APOP "+alice+" "+APOPDigest(stamp, "wrong"), "-ERR [AUTH] invalid user name or password")
	r.cmd("APOP "+alice+" "+strings.ToUpper(APOPDigest(stamp, alicePass)), "+OK "+alice+"'s maildrop has 3")

	// A digest of another connection's timestamp does not work.
	r2 := ts.dial(t)
	r2.expect("+OK")
	r2.cmd("APOP "+bob+" "+APOPDigest(stamp, bobPass), "-ERR [AUTH]")
}

func newTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	ca, err := pki.NewCA()
	require.NoError(t, err, "NewCA()")
	server, err = ca.ServerConfig(host)
	require.NoError(t, err, "ServerConfig()")
	return server, ca.ClientConfig(host)
}

// upgrade runs the client side of STLS on a raw connection.
func (r *raw) upgrade(t *testing.T, cfg *tls.Config) {
	t.Helper()
	r.cmd("STLS", "+OK Begin TLS negotiation")
	tc := tls.Client(r.c, cfg)
	require.NoError(t, tc.Handshake(), "Handshake()")
	r.c, r.r = tc, bufio.NewReader(tc)
}

func TestSTLS(t *testing.T) {
	serverTLS, clientTLS := newTLS(t)
	ts := start(t, Options{TLSConfig: serverTLS})
	r := ts.connect(t)
	r.cmd("CAPA", "+OK")
	assert.Contains(t, r.data(), "STLS")
	r.cmd("USER "+alice, "+OK")
	r.upgrade(t, clientTLS)

	r.cmd("CAPA", "+OK")
	assert.NotContains(t, r.data(), "STLS", "STLS is not offered twice")
	r.cmd("STLS", "-ERR command not permitted when TLS active")
	// RFC 2595 §4: what the client said before TLS is forgotten.
	r.cmd("PASS "+alicePass, "-ERR send USER first")
	r.cmd("USER "+alice, "+OK")
	r.cmd("PASS "+alicePass, "+OK")
	r.cmd("STLS", "-ERR STLS not allowed after login")
	r.cmd("STAT", "+OK 3")
}

func TestSTLSDropsPipelinedPlaintext(t *testing.T) {
	serverTLS, clientTLS := newTLS(t)
	ts := start(t, Options{TLSConfig: serverTLS})
	r := ts.connect(t)
	r.write("STLS\r\nUSER " + alice + "\r\n")
	r.expect("+OK Begin TLS negotiation")
	tc := tls.Client(r.c, clientTLS)
	// The injected USER line is not read as a command; it breaks the
	// handshake instead, so the connection fails rather than log in.
	if err := tc.Handshake(); err == nil {
		r.c, r.r = tc, bufio.NewReader(tc)
		r.cmd("PASS "+alicePass, "-ERR send USER first")
	}
}

func TestRequireTLSForAuth(t *testing.T) {
	serverTLS, clientTLS := newTLS(t)
	ts := start(t, Options{TLSConfig: serverTLS, RequireTLSForAuth: true})
	r := ts.connect(t)
	r.cmd("CAPA", "+OK")
	assert.Equal(t, []string{"TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "STLS", "IMPLEMENTATION Maillab"}, r.data())
	r.cmd("USER "+alice, "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use STLS first, or port 995")
	r.cmd("AUTH PLAIN "+plain("", alice, alicePass), "-ERR [AUTH] Plaintext authentication disallowed")
	r.upgrade(t, clientTLS)
	r.cmd("CAPA", "+OK")
	assert.Equal(t, []string{"TOP", "UIDL", "USER", "SASL PLAIN", "RESP-CODES", "AUTH-RESP-CODE", "IMPLEMENTATION Maillab"}, r.data())
	r.cmd("AUTH PLAIN "+plain("", alice, alicePass), "+OK")

	// APOP never sends the password, so it is allowed without TLS.
	r2 := ts.dial(t)
	stamp := apopTimestamp(r2.expect("+OK"))
	r2.cmd("APOP "+bob+" "+APOPDigest(stamp, bobPass), "+OK")
}
