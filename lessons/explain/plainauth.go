package explain

import "strings"

// loginDisabled adds what LOGINDISABLED means when a capability list
// carries it: no password until the connection is encrypted (RFC 9051
// §6.2.3, §7.2.2). It is the answer a student meets who types LOGIN into
// telnet on port 143.
func loginDisabled(x Explanation, caps string) Explanation {
	for _, c := range strings.Fields(strings.Trim(caps, "[]")) {
		if strings.EqualFold(c, "LOGINDISABLED") || strings.EqualFold(c, "LOGINDISABLED]") {
			return x.with("imap.cap.logindisabled")
		}
	}
	return x
}

// pop3PlainRefused tells a refusal of a password before STLS from a wrong
// password: both carry [AUTH] (RFC 3206 §4), but only one is the user's
// mistake. A server refuses USER itself, or says so in its text (Dovecot
// and Maillab: "Plaintext authentication disallowed ..."); a wrong
// password is refused at PASS or AUTH with other words.
func pop3PlainRefused(code string, cmd pop3Cmd, tls bool, text string) bool {
	if tls || code != "AUTH" {
		return false
	}
	return cmd.verb == "USER" || strings.Contains(strings.ToLower(text), "plaintext")
}
