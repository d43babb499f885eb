package pop3

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"errors"
)

// Capa returns the server's capabilities (RFC 2449 §5), one per line as
// sent, for example "SASL PLAIN".
func (c *Client) Capa() ([]string, error) {
	if _, err := c.cmd("CAPA"); err != nil {
		return nil, err
	}
	var caps []string
	err := c.dataLines(func(l string) { caps = append(caps, l) })
	return caps, err
}

// StartTLS sends STLS and runs the TLS handshake on the same connection
// (RFC 2595 §4). Capabilities learnt before must be asked for again.
func (c *Client) StartTLS(cfg *tls.Config) error {
	if _, err := c.cmd("STLS"); err != nil {
		return err
	}
	if c.r.Buffered() > 0 {
		// Plaintext after "+OK" would be read as if it were protected.
		return errors.New("pop3: server sent data after STLS reply")
	}
	tc := tls.Client(c.conn, cfg)
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.conn, c.r = tc, bufio.NewReader(tc)
	return nil
}

// User sends the user name (RFC 1939 §7).
func (c *Client) User(user string) error {
	_, err := c.cmd("USER " + user)
	return err
}

// Pass sends the password in clear text (RFC 1939 §7).
func (c *Client) Pass(pass string) error {
	_, err := c.cmd("PASS " + pass)
	return err
}

// APOP logs in with a digest of the greeting's timestamp and the password,
// which itself never crosses the wire (RFC 1939 §7).
func (c *Client) APOP(user, pass string) error {
	if c.timestamp == "" {
		return ErrNoAPOP
	}
	_, err := c.cmd("APOP " + user + " " + APOPDigest(c.timestamp, pass))
	return err
}

// Auth logs in with SASL PLAIN (RFC 5034, RFC 4616). The credentials go
// in the AUTH line when it fits in 255 octets, else after the "+ ".
func (c *Client) Auth(user, pass string) error {
	resp := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	if line := "AUTH PLAIN " + resp; len(line)+2 <= maxCommandLine {
		_, err := c.cmd(line)
		return err
	}
	if err := c.send("AUTH PLAIN"); err != nil {
		return err
	}
	_, cont, err := c.status()
	if err != nil {
		return err
	}
	if !cont {
		return errUnexpected("+OK")
	}
	_, err = c.cmd(resp)
	return err
}
