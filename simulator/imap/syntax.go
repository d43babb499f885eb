package imap

import (
	"strings"
)

// commands are the commands go-imap's imapserver parses; any other name
// would make it drop the connection before login.
var commands = map[string]bool{
	"CAPABILITY": true, "NOOP": true, "CHECK": true, "LOGOUT": true, "STARTTLS": true,
	"AUTHENTICATE": true, "LOGIN": true, "ENABLE": true, "CREATE": true, "DELETE": true,
	"RENAME": true, "SUBSCRIBE": true, "UNSUBSCRIBE": true, "STATUS": true, "LIST": true,
	"LSUB": true, "NAMESPACE": true, "IDLE": true, "SELECT": true, "EXAMINE": true,
	"CLOSE": true, "UNSELECT": true, "APPEND": true, "FETCH": true, "EXPUNGE": true,
	"STORE": true, "COPY": true, "MOVE": true, "SEARCH": true,
	"UID FETCH": true, "UID EXPUNGE": true, "UID STORE": true, "UID COPY": true,
	"UID MOVE": true, "UID SEARCH": true,
}

// checkCommand returns the BAD reply for a line that is not "tag SP
// command" with a known command (RFC 9051 §2.2.1, §9 "command"), or "".
func checkCommand(line []byte) string {
	text := strings.TrimRight(string(line), "\r\n")
	if strings.TrimSpace(text) == "" {
		return "* BAD Empty line: a command starts with a tag, as in: a1 NOOP"
	}
	tag, rest, _ := strings.Cut(text, " ")
	if !validTag(tag) {
		return "* BAD Syntax error: a command starts with a tag of letters and digits, as in: a1 NOOP"
	}
	name, args, _ := strings.Cut(rest, " ")
	name = strings.ToUpper(name)
	if name == "UID" {
		sub, _, _ := strings.Cut(args, " ")
		name += " " + strings.ToUpper(sub)
	}
	if name == "" || name == "UID " {
		return tag + " BAD Syntax error: a command name must follow the tag"
	}
	if !commands[name] {
		return tag + " BAD Unknown command " + quoteName(name)
	}
	if strings.ContainsRune(text, 0) {
		return tag + " BAD Syntax error: NUL is not allowed in a command"
	}
	return ""
}

// validTag accepts the ASCII subset of a tag (RFC 9051 §9: 1*<any
// ASTRING-CHAR except "+">) that go-imap also accepts.
func validTag(tag string) bool {
	if tag == "" {
		return false
	}
	for i := 0; i < len(tag); i++ {
		c := tag[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`(){%*"\]+`, c) >= 0 {
			return false
		}
	}
	return true
}

// quoteName shows the unknown name, shortened and printable, so the reply
// cannot smuggle control characters back to the client.
func quoteName(name string) string {
	if len(name) > 40 {
		name = name[:40] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r > 0x7e {
			return '?'
		}
		return r
	}, strings.TrimSpace(name))
}
