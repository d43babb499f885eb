package mx_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mail"
	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mx"
)

// inbox is a Deliverer that keeps what it is given.
type inbox struct {
	mu  sync.Mutex
	raw []string
}

func (b *inbox) Deliver(_ context.Context, env mail.Envelope, raw []byte) (map[string]error, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.raw = append(b.raw, string(raw))
	per := map[string]error{}
	for _, r := range env.To {
		per[r] = nil
	}
	return per, nil
}

// zone answers TXT questions from a map, as the world's DNS would.
type zone map[string]string

func (z zone) lookup(_ context.Context, name string) ([]string, error) {
	if v, ok := z[strings.TrimSuffix(name, ".")]; ok {
		return []string{v}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func signed(t *testing.T, key *rsa.PrivateKey, msg string) string {
	t.Helper()
	var out bytes.Buffer
	err := dkim.Sign(&out, strings.NewReader(msg), &dkim.SignOptions{Domain: "example.org", Selector: "mail",
		Signer: key, HeaderKeys: []string{"From", "To", "Subject"}})
	require.NoError(t, err, "dkim.Sign()")
	return out.String()
}

func TestAuthVerdicts(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	msg := "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nHello\r\n"
	self := "v=spf1 ip4:127.0.0.1 -all"
	other := "v=spf1 ip4:127.77.1.20 -all"
	tests := []struct {
		name, spf, msg string
		checks         bool
		code           int
		results        string // the Authentication-Results value after the host
	}{
		{"genuine", self, signed(t, key, msg), true, 250,
			"spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass header.from=example.org"},
		{"forged", other, msg, true, 550, ""},
		{"signed from a wrong address", other, signed(t, key, msg), true, 250,
			"spf=fail smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass header.from=example.org"},
		{"checks off", other, msg, false, 250, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := zone{"example.org": tc.spf, "_dmarc.example.org": "v=DMARC1; p=reject; adkim=r; aspf=r",
				"mail._domainkey.example.org": "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)}
			box := &inbox{}
			srv, err := mx.New(mx.Options{Hostname: "mx.example.net", Domain: "example.net", Users: users{},
				Deliver: box, LookupTXT: z.lookup, AuthChecks: tc.checks})
			require.NoError(t, err, "mx.New()")
			t.Cleanup(func() { srv.Close() })
			l := mailtest.Listen(t)
			go srv.Serve(l)
			err = send(t, l.Addr().String(), tc.msg)
			if tc.code != 250 {
				var se *smtp.SMTPError
				require.True(t, errors.As(err, &se), "want an SMTP error, got %v", err)
				assert.Equal(t, 550, se.Code)
				assert.Equal(t, smtp.EnhancedCode{5, 7, 1}, se.EnhancedCode)
				assert.Equal(t, "Rejected by DMARC policy of example.org: SPF fail, no valid DKIM signature", se.Message)
				assert.Empty(t, box.raw, "nothing delivered")
				return
			}
			require.NoError(t, err, "send()")
			require.Len(t, box.raw, 1)
			h := mail.Header([]byte(box.raw[0]))
			got := h.Get("Authentication-Results")
			if tc.results == "" {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, "mx.example.net; "+tc.results, got)
		})
	}
}

type users struct{}

func (users) HasUser(addr string) bool { return addr == "bob@example.net" }

func send(t *testing.T, addr, msg string) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	require.NoError(t, err)
	defer c.Close()
	c.CommandTimeout = time.Minute
	require.NoError(t, c.Hello("smtp.example.org"))
	require.NoError(t, c.Mail("alice@example.org", nil))
	require.NoError(t, c.Rcpt("bob@example.net", nil))
	w, err := c.Data()
	require.NoError(t, err)
	_, err = w.Write([]byte(msg))
	require.NoError(t, err)
	return w.Close()
}
