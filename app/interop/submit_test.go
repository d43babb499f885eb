package interop_test

import (
	"crypto/tls"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// submit sends one message from Alice to Bob through the MSA on 587 with
// go-smtp: STARTTLS verified against the run's CA, then AUTH PLAIN. A nil
// error means the MSA answered 250 after DATA.
func (e *env) submit(subject string) error {
	cfg := &tls.Config{RootCAs: e.w.CA.Pool(), MinVersion: tls.VersionTLS13}
	c, err := smtp.DialStartTLS(e.org(portSubmission), cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", "alice@example.org", "wonderland")); err != nil {
		return err
	}
	if err := c.SendMail("alice@example.org", []string{"bob@example.net"}, strings.NewReader(message(subject))); err != nil {
		return err
	}
	c.Quit() // the message is accepted already; a lost 221 changes nothing
	return nil
}
