// Package mua is the mail client on Alice's laptop and Bob's laptop and
// phone: it composes MIME, submits with SMTP and fetches with POP3 or IMAP,
// and keeps what a device has stored locally.
package mua

import (
	"context"
	"crypto/tls"
	"net"
)

// Security is how a client protects a connection.
type Security string

const (
	Plain    Security = "plain"    // no TLS (the plaintext-password lesson only)
	StartTLS Security = "starttls" // upgrade on 587, 110, 143 (RFC 3207, 2595, 9051)
	Implicit Security = "implicit" // TLS from the first byte on 465, 995, 993 (RFC 8314)
)

// Net dials services for a device: from its own address, to host's
// well-known port, wherever that really listens in this run.
type Net interface {
	DialService(ctx context.Context, from, host string, wellKnownPort int) (net.Conn, error)
	// NodeTLS is the node's TLS config for host: it trusts the run's CA
	// and resumes the node's own earlier sessions with host.
	NodeTLS(node, host string) *tls.Config
}

// Account is a mailbox login.
type Account struct {
	Address  string `json:"address"`
	Password string `json:"-"`
	SMTPHost string `json:"smtpHost"` // e.g. smtp.example.org
	MailHost string `json:"mailHost"` // e.g. mail.example.org
}
