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
	rest := line
	if proto == "imap" {
		_, rest = nextField(rest) // drop the tag
	}
	verb, rest := nextField(rest)
	if verb == "" {
		c.authStarted = false
		return false
	}
	auth := strings.EqualFold(verb, "AUTH") || strings.EqualFold(verb, "AUTHENTICATE")
	c.authStarted = auth
	switch {
	case strings.EqualFold(verb, "PASS"), strings.EqualFold(verb, "APOP"):
		c.literal = proto == "imap" && endsWithLiteral(line)
		return true
	case strings.EqualFold(verb, "LOGIN"): // IMAP LOGIN; an SMTP line starting so is no credential
		c.literal = proto == "imap" && endsWithLiteral(line)
		return proto != "smtp" && proto != "submission" && proto != "lmtp"
	case auth:
		_, rest = nextField(rest) // the mechanism
		resp, _ := nextField(rest)
		return resp != "" // an initial response
	}
	return false
}

// nextField returns the first whitespace-separated field of s and what
// follows it, as strings.Fields would split it, without allocating: the
// tracker sees every line of every message body.
func nextField(s string) (field, rest string) {
	start := 0
	for start < len(s) && asciiSpace(s[start]) {
		start++
	}
	end := start
	for end < len(s) && !asciiSpace(s[end]) {
		end++
	}
	return s[start:end], s[end:]
}

func asciiSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
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
