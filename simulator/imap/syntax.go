package imap

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// commands are the commands go-imap's imapserver parses, and ID, which the
// guard answers; any other name would make go-imap drop the connection
// before login.
var commands = map[string]bool{
	"CAPABILITY": true, "NOOP": true, "CHECK": true, "LOGOUT": true, "STARTTLS": true,
	"AUTHENTICATE": true, "LOGIN": true, "ENABLE": true, "CREATE": true, "DELETE": true,
	"RENAME": true, "SUBSCRIBE": true, "UNSUBSCRIBE": true, "STATUS": true, "LIST": true,
	"LSUB": true, "NAMESPACE": true, "IDLE": true, "SELECT": true, "EXAMINE": true,
	"CLOSE": true, "UNSELECT": true, "APPEND": true, "FETCH": true, "EXPUNGE": true,
	"STORE": true, "COPY": true, "MOVE": true, "SEARCH": true,
	"UID FETCH": true, "UID EXPUNGE": true, "UID STORE": true, "UID COPY": true,
	"UID MOVE": true, "UID SEARCH": true,
	"THREAD": true, "UID THREAD": true,
	"ID": true, // answered by the guard (id.go)

	"SORT": true, "UID SORT": true, "CANCELUPDATE": true, // sort.go, context.go
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

// go-imap reports two client mistakes as server bugs (NO [SERVERBUG]): a
// number in a sequence set beyond 4294967295 (RFC 9051 §9 nz-number is
// 32 bits) and a search date that is not d-Mon-yyyy. checkArgs finds them
// in a command's first line and returns the BAD [CLIENTBUG] for them.
var (
	seqSetPattern  = regexp.MustCompile(`^(?:[0-9]+|\*|\$)(?::(?:[0-9]+|\*))?(?:,(?:[0-9]+|\*)(?::(?:[0-9]+|\*))?)*$`)
	digitsPattern  = regexp.MustCompile(`[0-9]+`)
	searchDateKeys = map[string]bool{"SINCE": true, "BEFORE": true, "ON": true, "SENTSINCE": true, "SENTBEFORE": true, "SENTON": true}
	// searchArgs is how many arguments a search key takes that are not
	// search keys themselves (RFC 9051 §6.4.4).
	searchArgs = map[string]int{"BCC": 1, "BODY": 1, "CC": 1, "FROM": 1, "KEYWORD": 1, "SUBJECT": 1, "TEXT": 1,
		"TO": 1, "UNKEYWORD": 1, "HEADER": 2, "LARGER": 1, "SMALLER": 1, "CHARSET": 1}
)

func checkArgs(c command, line []byte) string {
	if reply := checkMailboxNames(c, line); reply != "" {
		return reply
	}
	tokens := argTokens(strings.TrimRight(string(line), "\r\n"))
	if len(tokens) < 2 {
		return ""
	}
	args := tokens[2:]
	if strings.HasPrefix(c.name, "UID ") {
		args = args[1:]
	}
	bad := func(what string) string { return c.tag + " BAD [CLIENTBUG] " + what }
	switch strings.TrimPrefix(c.name, "UID ") {
	case "FETCH", "STORE", "COPY", "MOVE", "EXPUNGE":
		if len(args) > 0 && tooBigSeqSet(args[0]) {
			return bad("Invalid sequence set " + quoteName(args[0]) + ": numbers go up to 4294967295")
		}
	case "SEARCH", "SORT", "THREAD": // a sort program's keys pass as search keys
		if strings.HasSuffix(c.name, "THREAD") { // algorithm and charset first
			args = args[min(2, len(args)):]
		}
		for i := 0; i < len(args); i++ {
			key := strings.ToUpper(args[i])
			switch {
			case searchDateKeys[key]:
				if i+1 < len(args) && !validDate(args[i+1]) {
					return bad("Invalid date " + quoteName(args[i+1]) + ": write it as d-Mon-yyyy, as in 1-Mar-2025")
				}
				i++
			case searchArgs[key] > 0:
				i += searchArgs[key]
			case tooBigSeqSet(args[i]):
				return bad("Invalid sequence set " + quoteName(args[i]) + ": numbers go up to 4294967295")
			}
		}
	}
	return ""
}

// argTokens splits a command line at spaces outside quoted strings and
// drops list parentheses; quoted strings stay quoted.
func argTokens(s string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case quoted && b == '\\' && i+1 < len(s):
			cur.WriteByte(b)
			i++
			cur.WriteByte(s[i])
			continue
		case b == '"':
			quoted = !quoted
		case !quoted && (b == ' ' || b == '(' || b == ')'):
			flush()
			continue
		}
		cur.WriteByte(b)
	}
	flush()
	return out
}

func tooBigSeqSet(tok string) bool {
	if !seqSetPattern.MatchString(tok) {
		return false
	}
	for _, d := range digitsPattern.FindAllString(tok, -1) {
		if _, err := strconv.ParseUint(d, 10, 32); err != nil {
			return true
		}
	}
	return false
}

// validDate accepts RFC 9051 §9 date: d-Mon-yyyy, also quoted; a literal
// is left to go-imap.
func validDate(tok string) bool {
	if strings.HasPrefix(tok, "{") {
		return true
	}
	_, err := time.Parse("2-Jan-2006", strings.Trim(tok, `"`))
	return err == nil
}
