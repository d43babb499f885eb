package mta

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// clientTimeout bounds each command. Generous: a teacher may hold a line for
// minutes (RFC 5321 §4.5.3.2 asks for at least 5).
const clientTimeout = 30 * time.Minute

// transact runs one SMTP transaction on conn (RFC 5321 §3.3) and returns an
// outcome per recipient; ok is false when the server never got as far as a
// transaction (so another MX may be tried). With a cache (an AutoRun
// worker's) a session that ended its transaction cleanly is kept there
// instead of QUIT, for the next message to the same domain.
func (q *Queue) transact(ctx context.Context, conn net.Conn, domain, host, ip, from string, to []string, raw []byte, cache *sessionCache) (map[string]outcome, bool) {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	c, err := q.hello(conn, host)
	if err != nil {
		stop()
		conn.Close()
		if errors.Is(err, errNoTLS) {
			o := local(4, "4.7.4", fmt.Sprintf("TLS is required, but was not offered by host %s[%s]", host, ip))
			o.remote, o.ip = host, ip
			return all(to, o), false
		}
		return all(to, fromError(err, host, ip, "EHLO")), false
	}
	s := &session{c: c, domain: domain, host: host, ip: ip, opened: q.clock.Now(), stop: stop}
	per, reusable := s.transaction(from, to, raw)
	if reusable && cache != nil && q.waiting(domain) {
		cache.put(s)
	} else {
		s.quit()
	}
	return per, true
}

// session is an SMTP session with an MX, past EHLO (and STARTTLS).
type session struct {
	c                *smtp.Client
	domain, host, ip string
	opened           time.Time
	stop             func() bool // ends the context's hold on the connection
}

// transaction runs MAIL, RCPT and DATA. reusable is true when the session
// is back where a new MAIL may follow (RFC 5321 §3.3: after the reply to
// the final dot): every command got a reply and DATA was sent.
func (s *session) transaction(from string, to []string, raw []byte) (map[string]outcome, bool) {
	host, ip := s.host, s.ip
	if err := s.c.Mail(from, &smtp.MailOptions{Size: int64(len(raw))}); err != nil {
		// A refused MAIL (552 too big) still ends the session politely,
		// with QUIT before the TLS and TCP close (RFC 5321 §4.1.1.10).
		return all(to, fromError(err, host, ip, "MAIL FROM")), false
	}
	per := map[string]outcome{}
	var accepted []string
	for _, rcpt := range to {
		if err := s.c.Rcpt(rcpt, nil); err != nil {
			per[rcpt] = fromError(err, host, ip, "RCPT TO")
			continue
		}
		accepted = append(accepted, rcpt)
	}
	if len(accepted) == 0 {
		return per, false
	}
	o := data(s.c, raw, host, ip)
	for _, rcpt := range accepted {
		per[rcpt] = o
	}
	return per, o.smtp
}

// quit ends the session with QUIT and closes it.
func (s *session) quit() {
	s.c.Quit()
	s.c.Close()
	s.stop()
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

// errNoTLS: the MX offered no STARTTLS and Options.RequireTLS is set.
var errNoTLS = errors.New("mta: TLS required but not offered")

// hello reads the greeting, says EHLO and upgrades to TLS when the MX offers
// STARTTLS and a config exists for it.
func (q *Queue) hello(conn net.Conn, host string) (*smtp.Client, error) {
	c := newClient(conn)
	if err := c.Hello(q.opts.Hostname); err != nil {
		return nil, err
	}
	var cfg *tls.Config
	if q.opts.TLSConfig != nil {
		cfg = q.opts.TLSConfig(host)
	}
	offered, _ := c.Extension("STARTTLS")
	if !offered || cfg == nil {
		if !offered && q.requireTLS.Load() {
			c.Quit() // Postfix ends the session politely before it defers
			c.Close()
			return nil, errNoTLS
		}
		return c, nil
	}
	return startTLS(c, cfg, q.opts.Hostname)
}

// startTLS upgrades the session (RFC 3207 §4) with the StartTLS that
// Maillab's go-smtp exports, then says EHLO again with our own name: the
// server has forgotten the first one. The handshake runs with the first
// write over TLS, under the client's command timeout.
func startTLS(c *smtp.Client, cfg *tls.Config, localName string) (*smtp.Client, error) {
	if err := c.StartTLS(cfg); err != nil {
		return nil, err
	}
	if err := c.Hello(localName); err != nil {
		return nil, fmt.Errorf("after STARTTLS: %w", err)
	}
	return c, nil
}
