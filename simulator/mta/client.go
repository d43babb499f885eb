package mta

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

// clientTimeout bounds each command. Generous: a teacher may hold a line for
// minutes (RFC 5321 §4.5.3.2 asks for at least 5).
const clientTimeout = 30 * time.Minute

// transact runs one SMTP transaction on conn (RFC 5321 §3.3) and returns an
// outcome per recipient; ok is false when the server never got as far as a
// transaction (so another MX may be tried).
func (q *Queue) transact(ctx context.Context, conn net.Conn, host, ip, from string, to []string, raw []byte) (map[string]outcome, bool) {
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	c, err := q.hello(ctx, conn, host)
	if err != nil {
		conn.Close()
		return all(to, fromError(err, host, ip, "EHLO")), false
	}
	defer c.Close()
	if err := c.Mail(from, &smtp.MailOptions{Size: int64(len(raw))}); err != nil {
		return all(to, fromError(err, host, ip, "MAIL FROM")), true
	}
	per := map[string]outcome{}
	var accepted []string
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			per[rcpt] = fromError(err, host, ip, "RCPT TO")
			continue
		}
		accepted = append(accepted, rcpt)
	}
	if len(accepted) > 0 {
		o := data(c, raw, host, ip)
		for _, rcpt := range accepted {
			per[rcpt] = o
		}
	}
	c.Quit()
	return per, true
}

// data sends the message; a 250 after the dot is the only proof of delivery
// (RFC 5321 §4.1.1.4). A lost connection there defers: the message may then
// arrive twice, which beats losing it (RFC 5321 §6.1).
func data(c *smtp.Client, raw []byte, host, ip string) outcome {
	w, err := c.Data()
	if err != nil {
		return fromError(err, host, ip, "DATA")
	}
	if _, err := io.Copy(w, bytes.NewReader(raw)); err != nil {
		return fromError(err, host, ip, "end of DATA")
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return fromError(err, host, ip, "end of DATA")
	}
	return outcome{class: 2, status: "2.0.0", reply: "250 " + resp.StatusText, smtp: true, remote: host, ip: ip}
}

func newClient(conn net.Conn) *smtp.Client {
	c := smtp.NewClient(conn)
	c.CommandTimeout, c.SubmissionTimeout = clientTimeout, clientTimeout
	return c
}

// hello reads the greeting, says EHLO and upgrades to TLS when the MX offers
// STARTTLS and a config exists for it.
func (q *Queue) hello(ctx context.Context, conn net.Conn, host string) (*smtp.Client, error) {
	c := newClient(conn)
	if err := c.Hello(q.opts.Hostname); err != nil {
		return nil, err
	}
	var cfg *tls.Config
	if q.opts.TLSConfig != nil {
		cfg = q.opts.TLSConfig(host)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok || cfg == nil {
		return c, nil
	}
	return startTLS(ctx, conn, cfg, q.opts.Hostname)
}

// startTLS upgrades the session (RFC 3207 §4). go-smtp v0.25.1 exports no
// StartTLS for a Client that has already said EHLO, and NewClientStartTLS
// always says "EHLO localhost"; so the STARTTLS line is written here and a
// fresh Client carries on over TLS. That Client expects a greeting, which
// RFC 3207 does not send after the handshake, so it is handed one locally:
// nothing extra crosses the wire.
func startTLS(ctx context.Context, conn net.Conn, cfg *tls.Config, localName string) (*smtp.Client, error) {
	conn.SetDeadline(time.Now().Add(clientTimeout))
	if _, err := io.WriteString(conn, "STARTTLS\r\n"); err != nil {
		return nil, err
	}
	// The server sends nothing after its 220 until our ClientHello, so this
	// reader cannot swallow TLS bytes.
	code, msg, err := textproto.NewReader(bufio.NewReader(conn)).ReadResponse(220)
	if err != nil {
		if code != 0 {
			return nil, mail.ParseReply(code, msg)
		}
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("TLS handshake: %w", err)
	}
	c := newClient(&greeted{Conn: tc, pending: []byte("220 " + cfg.ServerName + " TLS established\r\n")})
	return c, c.Hello(localName)
}

// greeted returns a local greeting before the connection's own bytes.
type greeted struct {
	net.Conn
	pending []byte
}

func (g *greeted) Read(p []byte) (int, error) {
	if len(g.pending) > 0 {
		n := copy(p, g.pending)
		g.pending = g.pending[n:]
		return n, nil
	}
	return g.Conn.Read(p)
}
