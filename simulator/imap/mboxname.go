package imap

import (
	"encoding/base64"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// go-imap decodes every mailbox name from modified UTF-7 while it parses
// the command, and answers a name it cannot decode with NO [SERVERBUG]
// "Internal server error", as if the server had failed. The guard checks
// the names on a command's first line first and answers the client's
// mistake as Dovecot does ("NO Mailbox name is not valid mUTF-7"), with
// [CANNOT] (RFC 5530: the command can never succeed) and how to write it.
// A name sent as a literal is still go-imap's to judge. LIST and LSUB
// take patterns, not names: one that is not valid modified UTF-7 matches
// as written and is answered OK, as Dovecot does (go-imap patch 52).

// mailboxArgs says which arguments of a command are mailbox names
// (RFC 9051 §6.3, §6.4.7, §6.4.8).
var mailboxArgs = map[string][]int{
	"SELECT": {0}, "EXAMINE": {0}, "CREATE": {0}, "DELETE": {0}, "RENAME": {0, 1},
	"SUBSCRIBE": {0}, "UNSUBSCRIBE": {0}, "STATUS": {0}, "APPEND": {0},
	"COPY": {1}, "MOVE": {1}, "UID COPY": {1}, "UID MOVE": {1},
}

func invalidNameReply(tag, name string) string {
	return tag + " NO [CANNOT] Mailbox name " + quoteName(name) +
		" is not valid modified UTF-7 (RFC 3501 §5.1.3): write \"&\" as \"&-\""
}

// checkMailboxNames returns the NO for a command whose first line names a
// mailbox that is not valid modified UTF-7, or "".
func checkMailboxNames(c command, line []byte) string {
	text := strings.TrimRight(string(line), "\r\n")
	var names []string
	if idx, ok := mailboxArgs[c.name]; ok {
		tokens := argTokens(text)
		args := tokens[min(len(tokens), 2):]
		if strings.HasPrefix(c.name, "UID ") && len(args) > 0 {
			args = args[1:]
		}
		for _, i := range idx {
			if i < len(args) {
				names = append(names, args[i])
			}
		}
	}
	for _, n := range names {
		if strings.HasPrefix(n, "{") {
			continue // a literal: go-imap reads it
		}
		if !validModifiedUTF7(unquote(n)) {
			return invalidNameReply(c.tag, unquote(n))
		}
	}
	return ""
}

func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '\\' && i+1 < len(s)-1 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var mutf7Base64 = base64.NewEncoding("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,").WithPadding(base64.NoPadding)

// validModifiedUTF7 accepts what go-imap can decode: printable ASCII,
// "&-" for "&", "&...-" base64 of UTF-16 that encodes no printable ASCII,
// no two shifts in a row; raw UTF-8 too (IMAP4rev2, RFC 9051 §5.1).
func validModifiedUTF7(s string) bool {
	if strings.EqualFold(s, "INBOX") {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	shifted := false // the last segment was base64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			shifted = false
			continue
		}
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c != '&' {
			shifted = false
			continue
		}
		end := strings.IndexByte(s[i+1:], '-')
		if end < 0 {
			return false // "&" without its "-"
		}
		seg := s[i+1 : i+1+end]
		i += end + 1
		if seg == "" {
			shifted = false // "&-"
			continue
		}
		if shifted || !validUTF16Segment(seg) {
			return false
		}
		shifted = true
	}
	return true
}

func validUTF16Segment(seg string) bool {
	b, err := mutf7Base64.DecodeString(seg)
	if err != nil || len(b) == 0 || len(b)%2 == 1 {
		return false
	}
	for i := 0; i < len(b); i += 2 {
		r := rune(b[i])<<8 | rune(b[i+1])
		if utf16.IsSurrogate(r) {
			if i += 2; i >= len(b) {
				return false
			}
			if utf16.DecodeRune(r, rune(b[i])<<8|rune(b[i+1])) == utf8.RuneError {
				return false
			}
		} else if r >= 0x20 && r <= 0x7e {
			return false
		}
	}
	return true
}
