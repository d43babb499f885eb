package wire

import "strings"

// CredentialTracker marks the client lines that carry a password or a SASL
// response, so the UI shows them only on purpose and logs redact them.
// SMTP AUTH (RFC 4954 §4), POP3 PASS/APOP (RFC 1939 §7) and AUTH (RFC 5034),
// IMAP LOGIN and AUTHENTICATE (RFC 9051 §6.2). It follows one connection:
// feed it every line of both directions in order. The zero value is ready;
// it is not safe for concurrent use. The tap and the terminal share it.
type CredentialTracker struct {
	authStarted bool // the client's last command began a SASL exchange
	challenge   bool // the server answered with a SASL challenge
	literal     bool // an IMAP LOGIN continues after a literal (RFC 9051 §4.3)
}

// Client reports whether the client line carries a credential. proto is
// the service's protocol: smtp, submission, lmtp, pop3 or imap.
func (c *CredentialTracker) Client(proto, line string) bool {
	if c.literal {
		c.literal = endsWithLiteral(line)
		return true
	}
	if c.challenge {
		c.challenge = false
		c.authStarted = line != "*" // "*" cancels the exchange
		return line != "*"
	}
	f := strings.Fields(line)
	if proto == "imap" && len(f) > 0 {
		f = f[1:] // drop the tag
	}
	if len(f) == 0 {
		c.authStarted = false
		return false
	}
	verb := strings.ToUpper(f[0])
	c.authStarted = verb == "AUTH" || verb == "AUTHENTICATE"
	switch verb {
	case "PASS", "APOP", "LOGIN":
		c.literal = proto == "imap" && endsWithLiteral(line)
		return proto != "smtp" && proto != "submission" && proto != "lmtp" || verb != "LOGIN"
	case "AUTH", "AUTHENTICATE":
		return len(f) > 2 // an initial response
	}
	return false
}

// Server notes a server line: a SASL challenge makes the next client line
// a credential.
func (c *CredentialTracker) Server(proto, line string) {
	if !c.authStarted {
		return
	}
	switch proto {
	case "smtp", "submission", "lmtp":
		c.challenge = strings.HasPrefix(line, "334")
	default:
		c.challenge = line == "+" || strings.HasPrefix(line, "+ ")
	}
	if !c.challenge {
		c.authStarted = false
	}
}

// endsWithLiteral reports whether an IMAP line announces a literal, "{n}"
// or "{n+}", so the command goes on in the next line.
func endsWithLiteral(line string) bool {
	open := strings.LastIndexByte(line, '{')
	if open < 0 || !strings.HasSuffix(line, "}") {
		return false
	}
	n := strings.TrimSuffix(line[open+1:len(line)-1], "+")
	return n != "" && strings.Trim(n, "0123456789") == ""
}
