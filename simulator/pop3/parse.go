package pop3

import (
	"bytes"
	"errors"
	"strings"
)

// Errors of ParseCommand. The server answers all of them with -ERR and
// keeps the session.
var (
	ErrEmptyCommand = errors.New("pop3: empty command line")
	ErrBadKeyword   = errors.New("pop3: malformed command keyword")
	ErrBadCharacter = errors.New("pop3: control character in command line")
)

// Command is one client command line (RFC 1939 §3, RFC 2449 §3).
type Command struct {
	// Name is the keyword in upper case; keywords are case-insensitive.
	Name string
	// Args are the space-separated arguments.
	Args []string
	// Rest is everything after the keyword and its single space, verbatim:
	// RFC 1939 §7 lets a password (PASS) contain spaces.
	Rest string
}

// ParseCommand splits one command line, with or without its CRLF. It only
// checks the syntax; whether the keyword is known is up to the caller.
func ParseCommand(line []byte) (Command, error) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 {
		return Command{}, ErrEmptyCommand
	}
	name, rest, _ := bytes.Cut(line, []byte(" "))
	if !isKeyword(name) {
		return Command{}, ErrBadKeyword
	}
	if bytes.ContainsFunc(rest, isControl) {
		return Command{}, ErrBadCharacter
	}
	cmd := Command{Name: strings.ToUpper(string(name)), Rest: string(rest)}
	if args := strings.Fields(cmd.Rest); len(args) > 0 {
		cmd.Args = args
	}
	return cmd, nil
}

// isKeyword: RFC 2449 §3 keywords are three or four printable characters;
// every POP3 keyword ever defined is made of letters only.
func isKeyword(b []byte) bool {
	if len(b) < 3 || len(b) > 4 {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// isControl reports ASCII control characters. Bytes of 0x80 and above stay
// allowed: passwords may be UTF-8.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f
}
