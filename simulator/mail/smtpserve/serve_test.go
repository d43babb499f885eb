package smtpserve_test

import (
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/mail"
	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mail/smtpserve"
	"maillab/simulator/pki"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// session reports whether its connection was TLS when it started.
type session struct{ tls bool }

func (s *session) Mail(string, *smtp.MailOptions) error {
	if s.tls {
		return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "TLS"}
	}
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "plain"}
}
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error               { _, err := io.ReadAll(r); return err }
func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }

func start(t *testing.T, maxConns int) (*smtpserve.Server, *pki.CA, string, string) {
	ca, err := pki.NewCA()
	require.NoError(t, err)
	cfg, err := ca.ServerConfig("smtp.example.org")
	require.NoError(t, err)
	srv := smtpserve.New(smtpserve.Config{
		New: func() *smtp.Server {
			s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
				_, ok := mail.TLSState(c.Conn())
				return &session{tls: ok}, nil
			}))
			s.Domain = "smtp.example.org"
			return s
		},
		StartTLS: cfg, MaxConns: maxConns, BusyReply: "421 4.7.0 busy",
	})
	t.Cleanup(func() { srv.Close() })
	l, lt := mailtest.Listen(t), mailtest.Listen(t)
	go srv.Serve(l)
	go srv.Serve(tls.NewListener(lt, cfg))
	return srv, ca, l.Addr().String(), lt.Addr().String()
}

func TestRouting(t *testing.T) {
	_, ca, plain, implicit := start(t, 0)
	r, _ := mailtest.Dial(t, plain)
	assert.Contains(t, r.Cmd("EHLO x"), "STARTTLS")
	assert.Equal(t, "250 2.0.0 plain", r.Cmd("MAIL FROM:<a@b>"))
	r.StartTLS(ca.ClientConfig("smtp.example.org"))
	r.Cmd("EHLO x")
	assert.Equal(t, "250 2.0.0 TLS", r.Cmd("MAIL FROM:<a@b>"))

	s, _ := mailtest.DialTLS(t, implicit, ca.ClientConfig("smtp.example.org"))
	assert.NotContains(t, s.Cmd("EHLO x"), "STARTTLS")
	assert.Equal(t, "250 2.0.0 TLS", s.Cmd("MAIL FROM:<a@b>"))
}

func TestCapAndClose(t *testing.T) {
	srv, _, plain, _ := start(t, 3)
	replies := make([]string, 5)
	for i := range replies {
		_, replies[i] = mailtest.Dial(t, plain)
	}
	assert.Equal(t, []string{"220 smtp.example.org ESMTP Service Ready", "220 smtp.example.org ESMTP Service Ready",
		"220 smtp.example.org ESMTP Service Ready", "421 4.7.0 busy", "421 4.7.0 busy"}, replies)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "twice is fine")
	_, err := net.Dial("tcp", plain)
	assert.Error(t, err, "listener closed")
}
