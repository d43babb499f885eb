package mua

import (
	"context"
	"fmt"

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

// smtpClient connects to 587 (STARTTLS or plain) or 465 (implicit TLS).
// go-smtp greets with "EHLO localhost", as many real clients do.
func (d *Device) smtpClient(ctx context.Context, sec Security) (*smtp.Client, error) {
	port := 587
	if sec == Implicit {
		port = 465
	}
	conn, err := d.Net.DialService(ctx, d.Node, d.Account.SMTPHost, port)
	if err != nil {
		return nil, err
	}
	switch sec {
	case Implicit:
		return smtp.NewClient(tlsClient(conn, d.Net.ClientTLS(d.Account.SMTPHost))), nil
	case Plain:
		return smtp.NewClient(conn), nil
	}
	c, err := smtp.NewClientStartTLS(conn, d.Net.ClientTLS(d.Account.SMTPHost))
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
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
