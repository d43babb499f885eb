package mua

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SubmitOptions choose port, security and SASL mechanism.
type SubmitOptions struct {
	Security Security // StartTLS on 587 (default), Implicit on 465, Plain on 587
	Mech     string   // PLAIN (default) or LOGIN
}

// Submit sends the draft to the account's MSA: EHLO, STARTTLS when asked,
// AUTH, MAIL FROM, RCPT TO per recipient, DATA, QUIT (RFC 6409, RFC 4954).
func (d *Device) Submit(ctx context.Context, draft Draft, opts SubmitOptions) error {
	raw, err := draft.Compose()
	if err != nil {
		return err
	}
	c, err := d.smtpClient(ctx, opts.Security)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(d.saslClient(opts.Mech)); err != nil {
		return fmt.Errorf("mua: AUTH: %w", err)
	}
	if err := sendMail(c, draft.From, draft.Recipients(), raw); err != nil {
		return err
	}
	return c.Quit()
}

// smtpClient connects to 587 (STARTTLS or plain) or 465 (implicit TLS) and
// greets with the device's address literal, as Thunderbird does
// ("EHLO [127.77.1.10]", RFC 5321 §4.1.3).
func (d *Device) smtpClient(ctx context.Context, sec Security) (*smtp.Client, error) {
	port := 587
	if sec == Implicit {
		port = 465
	}
	conn, err := d.Net.DialService(ctx, d.Node, d.Account.SMTPHost, port)
	if err != nil {
		return nil, err
	}
	name := addressLiteral(conn.LocalAddr())
	if sec == Implicit {
		conn = tlsClient(conn, d.Net.NodeTLS(d.Node, d.Account.SMTPHost))
	}
	c := smtp.NewClient(conn)
	if err := c.Hello(name); err != nil {
		c.Close()
		return nil, err
	}
	if sec == Plain || sec == Implicit {
		return c, nil
	}
	if err := c.StartTLS(d.Net.NodeTLS(d.Node, d.Account.SMTPHost)); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// addressLiteral renders a local address as an EHLO address literal.
func addressLiteral(a net.Addr) string {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return "localhost"
	}
	if strings.Contains(host, ":") {
		return "[IPv6:" + host + "]"
	}
	return "[" + host + "]"
}

func (d *Device) saslClient(mech string) sasl.Client {
	if mech == "LOGIN" {
		return sasl.NewLoginClient(d.Account.Address, d.Account.Password)
	}
	return sasl.NewPlainClient("", d.Account.Address, d.Account.Password)
}

func sendMail(c *smtp.Client, from string, to []string, raw []byte) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	return w.Close()
}
