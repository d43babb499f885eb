package pop3

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
)

// cmdAuth runs AUTH PLAIN (RFC 5034 §4, RFC 4616), with the credentials
// in the command (initial response) or after a "+ " continuation.
func (s *session) cmdAuth(cmd Command) error {
	if len(cmd.Args) == 0 {
		// Not in RFC 5034, but Outlook and others send a bare AUTH to
		// list the mechanisms, and common servers answer it like this.
		return s.multi("SASL mechanisms follow", []string{"PLAIN"})
	}
	if len(cmd.Args) > 2 {
		return s.fail(errSyntax("AUTH mechanism [initial-response]"))
	}
	if !strings.EqualFold(cmd.Args[0], "PLAIN") {
		return s.fail(&Error{Text: "unsupported authentication mechanism"})
	}
	if e := s.plaintextRefused(); e != nil {
		return s.fail(e)
	}
	if s.locked() { // before the client sends its password
		return s.lockedOut()
	}
	resp, err := s.saslResponse(cmd.Args[1:])
	if err != nil {
		return err
	}
	if resp == nil {
		return nil // cancelled or refused, reply sent
	}
	return s.authPlain(resp)
}

// saslResponse returns the decoded client response: the initial response
// ("=" is an empty one) or the line after "+ ". A nil response means the
// exchange ended with a reply already sent.
func (s *session) saslResponse(initial []string) ([]byte, error) {
	var text string
	if len(initial) == 1 {
		text = initial[0]
	} else {
		line, err := s.continuation()
		if err != nil || line == nil {
			return nil, err
		}
		text = *line
	}
	if text == "=" {
		return []byte{}, nil
	}
	resp, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		// RFC 5034 §4: a response that is not base64 fails the command.
		return nil, s.fail(&Error{Text: "invalid base64 in SASL response"})
	}
	return resp, nil
}

// continuation sends the empty challenge "+ " and reads the answer; "*"
// cancels (RFC 5034 §4). A nil line means a reply was already sent.
func (s *session) continuation() (*string, error) {
	if err := s.send("+ "); err != nil {
		return nil, err
	}
	raw, err := s.readLine(maxSASLLine)
	if errors.Is(err, errLineTooLong) {
		return nil, s.fail(&Error{Text: "line too long"})
	}
	if err != nil {
		return nil, err
	}
	line := strings.TrimRight(string(raw), "\r\n")
	if line == "*" {
		return nil, s.fail(&Error{Text: "authentication cancelled"})
	}
	return &line, nil
}

// authPlain checks "authzid NUL authcid NUL passwd" (RFC 4616 §2). Acting
// as another user (authzid) is not supported.
func (s *session) authPlain(resp []byte) error {
	parts := bytes.Split(resp, []byte{0})
	if len(parts) != 3 || !plausibleName(parts[1]) {
		return s.authFailed()
	}
	authz, user, pass := string(parts[0]), string(parts[1]), string(parts[2])
	if authz != "" && authz != user {
		return s.authFailed()
	}
	if s.locked() {
		return s.lockedOut()
	}
	drop, err := s.srv.opts.Backend.Login(user, pass)
	return s.loggedIn(user, drop, err)
}

// plausibleName keeps a decoded user name fit to echo in a reply line:
// no control characters, and short enough for the 512-octet limit of a
// response (RFC 2449 §4).
func plausibleName(name []byte) bool {
	return len(name) > 0 && len(name) <= maxCommandLine && !bytes.ContainsFunc(name, isControl)
}
