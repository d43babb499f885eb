package pop3

import (
	"bufio"
	"crypto/tls"
	"time"
)

// cmdSTLS upgrades the connection to TLS (RFC 2595 §4). The session stays
// in AUTHORIZATION and forgets what the client said in plaintext.
func (s *session) cmdSTLS(cmd Command) error {
	cfg := s.srv.opts.TLSConfig
	switch {
	case len(cmd.Args) != 0:
		return s.fail(errSyntax("STLS"))
	case cfg == nil:
		return s.fail(&Error{Text: "STLS not available"})
	case s.tls:
		return s.fail(&Error{Text: "command not permitted when TLS active"})
	}
	if err := s.ok("Begin TLS negotiation"); err != nil {
		return err
	}
	tc := tls.Server(s.conn, cfg)
	// STLS comes before login: the handshake gets the login timeout.
	tc.SetReadDeadline(time.Now().Add(s.srv.opts.Timeouts.Idle(false, s.srv.limit.Stressed())))
	tc.SetWriteDeadline(time.Now().Add(s.srv.opts.Timeouts.Session))
	if err := tc.Handshake(); err != nil {
		return err
	}
	// A new reader drops anything the client pipelined in plaintext after
	// STLS: those bytes must not count as protected commands.
	s.conn, s.r, s.w = tc, bufio.NewReader(tc), bufio.NewWriter(tc)
	s.tls, s.user = true, ""
	return nil
}
