package imap_test

import (
	"crypto/tls"
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/pki"
)

func newCA(t *testing.T) (*pki.CA, *tls.Config) {
	t.Helper()
	ca, err := pki.NewCA()
	require.NoError(t, err, "NewCA()")
	cfg, err := ca.ServerConfig(host)
	require.NoError(t, err, "ServerConfig()")
	return ca, cfg
}

func TestStartTLS(t *testing.T) {
	ca, cfg := newCA(t)
	e := start(t, imap.Options{TLSConfig: cfg}, nil)

	plain := e.client(t, nil)
	assert.True(t, plain.Caps().Has(goimap.CapStartTLS), "STARTTLS offered")
	assert.NoError(t, plain.Login(bob, password).Wait(), "plaintext LOGIN allowed by default")

	c, err := imapclient.NewStartTLS(e.dialConn(t), &imapclient.Options{TLSConfig: ca.ClientConfig(host)})
	require.NoError(t, err, "NewStartTLS()")
	t.Cleanup(func() { c.Close() })
	caps, err := c.Capability().Wait()
	require.NoError(t, err)
	assert.False(t, caps.Has(goimap.CapStartTLS), "no STARTTLS inside TLS")
	require.NoError(t, c.Login(bob, password).Wait(), "Login()")
	_, err = c.Select("INBOX", nil).Wait()
	assert.NoError(t, err)
}

func TestRequireTLS(t *testing.T) {
	ca, cfg := newCA(t)
	e := start(t, imap.Options{TLSConfig: cfg, RequireTLS: true}, nil)

	plain := e.client(t, nil)
	assert.True(t, plain.Caps().Has(goimap.CapLoginDisabled))
	var imapErr *goimap.Error
	require.ErrorAs(t, plain.Login(bob, password).Wait(), &imapErr)
	assert.Equal(t, goimap.ResponseCodePrivacyRequired, imapErr.Code)

	c, err := imapclient.NewStartTLS(e.dialConn(t), &imapclient.Options{TLSConfig: ca.ClientConfig(host)})
	require.NoError(t, err, "NewStartTLS()")
	t.Cleanup(func() { c.Close() })
	assert.NoError(t, c.Login(bob, password).Wait(), "LOGIN after STARTTLS")
}

// TestImplicitTLS serves port 993 style: the listener yields *tls.Conn.
func TestImplicitTLS(t *testing.T) {
	ca, cfg := newCA(t)
	e := start(t, imap.Options{TLSConfig: cfg, RequireTLS: true}, tlsListener(cfg))
	e.deliver(t, "secret")
	conn := tls.Client(e.dialConn(t), ca.ClientConfig(host))
	c := imapclient.New(conn, nil)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.WaitGreeting())
	assert.False(t, c.Caps().Has(goimap.CapStartTLS), "no STARTTLS on implicit TLS")
	assert.False(t, c.Caps().Has(goimap.CapLoginDisabled))
	require.NoError(t, c.Login(bob, password).Wait(), "Login()")
	sel, err := c.Select("INBOX", nil).Wait()
	require.NoError(t, err)
	assert.Equal(t, uint32(1), sel.NumMessages)
}
