package imap

import (
	"strings"
)

// ServerName and ServerVersion are what the server tells a client in its
// "* ID" response (RFC 2971). The version is a constant so that recorded
// transcripts stay the same from build to build.
const (
	ServerName    = "Maillab"
	ServerVersion = "1"
)

// RFC 2971 §3.3 bounds the ID arguments.
const (
	maxIDPairs = 30
	maxIDField = 30
	maxIDValue = 1024
)

// answerID answers "tag ID (...)" or "tag ID NIL" (RFC 2971), valid in
// every state, also before login (§3.1). go-imap's server has no handler
// for it, so the guard answers it like the bad lines it answers itself:
// the reply goes out through the same connection, so the tap records it.
func (g *guard) answerID(line []byte) error {
	tag := g.cmd.tag
	text := strings.TrimRight(string(line), "\r\n")
	_, rest, _ := strings.Cut(text, " ")     // after the tag
	_, args, found := strings.Cut(rest, " ") // after "ID"
	if !found {
		return g.reply(tag + " BAD Syntax error: ID takes a list of field-value pairs or NIL, as in: " +
			tag + ` ID ("name" "mutt")`)
	}
	if msg := checkIDParams(args); msg != "" {
		return g.reply(tag + " BAD " + msg)
	}
	if err := g.reply(`* ID ("name" "` + ServerName + `" "version" "` + ServerVersion + `")`); err != nil {
		return err
	}
	return g.reply(tag + " OK ID completed")
}

// checkIDParams checks id_params_list (RFC 2971 §4): NIL or "(" string SP
// nstring *(SP string SP nstring) ")", within the limits of §3.3; it
// returns why the arguments are wrong, or "".
func checkIDParams(s string) string {
	const syntax = `Syntax error: ID takes NIL or a list of "field" "value" pairs in parentheses`
	if strings.EqualFold(s, "NIL") {
		return ""
	}
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return syntax
	}
	s = s[1 : len(s)-1]
	var items []*string // nil: NIL
	for len(s) > 0 {
		if len(items) > 0 {
			if s[0] != ' ' {
				return syntax
			}
			s = s[1:]
		}
		switch {
		case len(s) >= 3 && strings.EqualFold(s[:3], "NIL") && (len(s) == 3 || s[3] == ' '):
			items = append(items, nil)
			s = s[3:]
		case strings.HasPrefix(s, `"`):
			str, n, ok := quotedString(s)
			if !ok {
				return syntax
			}
			items = append(items, &str)
			s = s[n:]
		default:
			return syntax
		}
	}
	if len(items)%2 != 0 {
		return syntax
	}
	if len(items)/2 > maxIDPairs {
		return "[LIMIT] ID takes at most 30 field-value pairs (RFC 2971 §3.3)"
	}
	for i := 0; i < len(items); i += 2 {
		field, value := items[i], items[i+1]
		if field == nil {
			return syntax + ": a field name cannot be NIL"
		}
		if len(*field) > maxIDField {
			return "[LIMIT] An ID field name is at most 30 octets (RFC 2971 §3.3)"
		}
		if value != nil && len(*value) > maxIDValue {
			return "[LIMIT] An ID value is at most 1024 octets (RFC 2971 §3.3)"
		}
	}
	return ""
}

// quotedString reads a quoted string (RFC 9051 §4.3) at the start of s and
// returns its content and its length in s.
func quotedString(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), i + 1, true
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '"' && s[i+1] != '\\') {
				return "", 0, false
			}
			i++
			b.WriteByte(s[i])
		case '\r', '\n', 0:
			return "", 0, false
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}
