package pop3

// cmdCapa lists the capabilities (RFC 2449 §5). The list is the same in
// both states, as §5 requires for what AUTHORIZATION offers.
func (s *session) cmdCapa(cmd Command) error {
	if len(cmd.Args) != 0 {
		return s.fail(errSyntax("CAPA"))
	}
	return s.multi("Capability list follows", s.capabilities())
}

func (s *session) capabilities() []string {
	caps := []string{"TOP", "UIDL"}
	// USER and SASL are left out while they would be refused, so a client
	// knows it must use STLS first.
	if s.plaintextRefused() == nil {
		caps = append(caps, "USER", "SASL PLAIN")
	}
	caps = append(caps, "RESP-CODES", "AUTH-RESP-CODE")
	if s.srv.opts.TLSConfig != nil && !s.tls {
		caps = append(caps, "STLS")
	}
	return append(caps, "IMPLEMENTATION Maillab")
}
