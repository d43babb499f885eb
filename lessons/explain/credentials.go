package explain

import (
	"strings"

	"maillab/simulator/event"
)

// credState follows a login on one connection, whatever the protocol:
// the SASL mechanism chosen and what the server's last challenge asked
// for, so that the client's next base64 line can be told apart (user
// name, password, or a digest that reveals neither).
type credState struct {
	mech      string // PLAIN, LOGIN, CRAM-MD5, ...
	challenge string // "username", "password", "empty", "other" (see challengeKind)
}

// What a client line reveals of the login.
const (
	credNone     = ""
	credUser     = "user"
	credPassword = "password"
)

// credentials looks at an explained line once more, protocol-independent:
// a user name or password sent while the connection is not encrypted gets
// a warning, and so does a server that offers a login in the clear (RFC
// 8314). Whether the line was encrypted is the tap's own observation
// (Event.Encrypted), or known from a TLS record seen earlier on the
// connection.
func (t *Tracker) credentials(ev event.Event, x Explanation) Explanation {
	secure := ev.Encrypted || t.ctx.TLS
	if ev.Dir == event.ServerToClient {
		t.cred.server(ev.Text, x)
		if !secure && offersLogin(x) {
			return x.with("auth.offered.cleartext")
		}
		return x
	}
	switch t.cred.client(x) {
	case credPassword:
		if !secure {
			return x.with("auth.cleartext.password")
		}
	case credUser:
		if !secure {
			return x.with("auth.cleartext.user")
		}
	}
	return x
}

// server notes the challenge of a SASL exchange: "334 …" in SMTP (RFC
// 4954 §4), "+ …" in POP3 (RFC 5034 §4) and IMAP (RFC 9051 §6.2.2).
func (c *credState) server(text string, x Explanation) {
	switch x.Key {
	case "smtp.reply.334.username", "smtp.reply.334.password", "smtp.reply.334.empty", "smtp.reply.334.challenge":
		c.challenge = challengeKind(strings.TrimSpace(strings.TrimPrefix(text, "334")))
	case "pop3.sasl.challenge", "imap.cont.sasl", "imap.cont.sasl.empty":
		c.challenge = challengeKind(strings.TrimSpace(strings.TrimPrefix(text, "+")))
	}
}

// client says what a client line reveals: a user name, a password, or
// nothing of either.
func (c *credState) client(x Explanation) string {
	switch x.Key {
	case "smtp.cmd.auth.plain.noir":
		c.mech, c.challenge = "PLAIN", ""
	case "smtp.cmd.auth.login":
		c.mech, c.challenge = "LOGIN", ""
	case "smtp.cmd.auth.other", "pop3.cmd.auth", "imap.cmd.authenticate":
		c.mech, c.challenge = x.Params["mechanism"], ""
	case "smtp.cmd.auth.plain":
		c.mech = "PLAIN"
		return credPassword
	case "smtp.cmd.auth.login.ir":
		c.mech = "LOGIN"
		return credUser
	case "pop3.cmd.auth.ir", "imap.cmd.authenticate.ir":
		// The initial response is the first answer of the mechanism: the
		// whole login for PLAIN, the user name for LOGIN (RFC 4959, 5034).
		c.mech, c.challenge = x.Params["mechanism"], ""
		switch c.mech {
		case "PLAIN":
			return credPassword
		case "LOGIN":
			return credUser
		}
	case "pop3.cmd.user", "smtp.sasl.username":
		return credUser
	case "pop3.cmd.pass", "imap.cmd.login", "smtp.sasl.password", "smtp.sasl.plain":
		return credPassword
	case "smtp.sasl.response", "pop3.sasl.response", "imap.sasl.response":
		return c.response()
	}
	return credNone
}

// response classifies the client's answer to a challenge. PLAIN carries
// user name and password in one line (RFC 4616 §2); LOGIN asks for them
// one by one; other mechanisms (CRAM-MD5, SCRAM) send no password.
func (c *credState) response() string {
	switch {
	case c.mech == "PLAIN":
		return credPassword
	case c.challenge == "password":
		return credPassword
	case c.challenge == "username":
		return credUser
	}
	return credNone
}

// offersLogin: a capability that invites the client to send a password
// (SMTP AUTH, POP3 USER and SASL, IMAP AUTH= without LOGINDISABLED).
func offersLogin(x Explanation) bool {
	switch x.Key {
	case "smtp.ehlo.auth", "pop3.capa.user", "pop3.capa.sasl":
		return true
	case "imap.resp.capability":
		return imapOffersLogin(x.Params["caps"])
	}
	// A capability list as a response code: "* OK [CAPABILITY …] ready".
	return x.Params["code"] == "CAPABILITY" && imapOffersLogin(x.Params["args"])
}

// imapOffersLogin: an IMAP capability list with a SASL mechanism and
// without LOGINDISABLED (RFC 9051 §6.2.3, §7.2.2).
func imapOffersLogin(caps string) bool {
	caps = " " + strings.ToUpper(caps) + " "
	return strings.Contains(caps, " AUTH=") && !strings.Contains(caps, "LOGINDISABLED")
}
