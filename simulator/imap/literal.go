package imap

import (
	"fmt"
	"strings"
)

// Literals (RFC 9051 §4.3) are where a client can make a server read a lot:
// "{94371840}" announces 90 MB. go-imap answers "+ Ready for literal data"
// to an APPEND before it checks that the user has logged in, and for other
// commands it buffers literals of up to 4096 octets but hangs, without a
// reply, on a larger one. So the guard decides on every literal before
// go-imap sees the line, as Dovecot does:
//
//   - before login only LOGIN (and AUTHENTICATE) may carry a literal, of at
//     most 4096 octets: "a APPEND INBOX {…}" gets BAD without a "+";
//   - after login APPEND's message may be as large as the append limit
//     (RFC 7889 APPENDLIMIT, the MX's SIZE by default) and must fit into the
//     user's quota (NO [TOOBIG], NO [OVERQUOTA]); every other literal is
//     at most 4096 octets;
//   - a non-synchronising literal (LITERAL+, RFC 7888) is held to the same
//     limits; before login at most 4096 octets (what LITERAL- would allow).
//     One refused is a client error whose data is already on its way: the
//     refusal, then the connection ends (RFC 7888 §4 lets a server close).

// maxNonSync is the largest literal go-imap buffers, and the largest
// non-synchronising literal LITERAL- allows (RFC 7888 §5).
const maxNonSync = 4096

// maxNesting bounds parenthesised lists in a command. go-imap gives up at
// 1000 levels with an error it reports as a server bug (NO [SERVERBUG]);
// no real client nests more than a few.
const maxNesting = 100

// DefaultAppendLimit is the largest message APPEND takes when Options
// leave it 0: the MX's default SIZE limit, so what one may send one may
// also file.
const DefaultAppendLimit = 10 << 20

type literalLimits struct {
	appendLimit int64
}

// preLogin are the commands valid before login (RFC 9051 §6.1, §6.2).
var preLogin = map[string]bool{"CAPABILITY": true, "NOOP": true, "LOGOUT": true, "STARTTLS": true,
	"AUTHENTICATE": true, "LOGIN": true}

// command is what the guard remembers of the command whose lines pass.
type command struct {
	tag, name string
	depth     int  // open parentheses
	size      int  // octets of its lines so far, literals not counted
	append    bool // an APPEND: its last literal is the message
	lines     int
}

func newCommand(line []byte) command {
	fields := strings.Fields(string(line))
	name := strings.ToUpper(fields[1])
	if name == "UID" && len(fields) > 2 {
		name += " " + strings.ToUpper(fields[2])
	}
	return command{tag: fields[0], name: name, append: name == "APPEND"}
}

// add accounts for one line of the command and returns a BAD reply when
// the command nests too deep or grows too long.
func (c *command) add(line []byte) string {
	c.lines++
	c.size += len(line)
	if c.size > maxLine {
		return fmt.Sprintf("%s BAD [LIMIT] Command too long (the limit is %d octets)", c.tag, maxLine)
	}
	quoted := false
	for i := 0; i < len(line); i++ {
		switch b := line[i]; {
		case b == '"':
			quoted = !quoted
		case quoted && b == '\\':
			i++
		case quoted:
		case b == '(':
			if c.depth++; c.depth > maxNesting {
				return fmt.Sprintf("%s BAD [LIMIT] Too many nested parentheses (the limit is %d)", c.tag, maxNesting)
			}
		case b == ')':
			c.depth = max(c.depth-1, 0)
		}
	}
	return ""
}

// checkLiteral returns the reply refusing the literal at the end of line,
// or "" to let it pass; with bye the connection must end. first says the
// line starts the command.
func (g *guard) checkLiteral(line []byte, first bool) (reply string, bye bool) {
	n, nonSync, ok := trailingLiteral(line)
	if !ok {
		return "", false
	}
	if !first {
		return g.laterLiteralReply(n, nonSync), true
	}
	// reject reads and drops a refused non-synchronising literal of up to
	// 4096 octets (RFC 7888 §4 asks for that); a larger one ends the
	// connection.
	reply = g.literalReply(line, n)
	return reply, reply != "" && nonSync && n > maxNonSync
}

// laterLiteralReply refuses a literal on a later line of a command, or
// returns "". go-imap reads this command already and refuses a large
// synchronising literal itself (settleLiteral makes sure it does not
// hang); a non-synchronising one is on its way and must be refused here.
// An APPEND's later literals (the next message of MULTIAPPEND, a
// CATENATE part) may be as large as a message.
func (g *guard) laterLiteralReply(n int64, nonSync bool) string {
	limit := int64(maxNonSync)
	if g.cmd.append && g.authed.Load() {
		limit = g.lits.appendLimit
	}
	if !nonSync || n <= limit {
		return ""
	}
	return fmt.Sprintf("%s BAD [TOOBIG] Literal too large (the limit is %d octets)", g.cmd.tag, limit)
}

// literalReply returns the refusal of an n-octet literal at the end of
// a command's first line, or "".
func (g *guard) literalReply(line []byte, n int64) string {
	tag := g.cmd.tag
	if !g.authed.Load() {
		switch {
		case !preLogin[g.cmd.name]:
			return fmt.Sprintf("%s BAD [CLIENTBUG] Log in first: %s is only valid in the authenticated state",
				tag, g.cmd.name)
		case n > maxNonSync:
			return fmt.Sprintf("%s BAD [TOOBIG] Literal too large before login (the limit is %d octets)",
				tag, maxNonSync)
		}
		return ""
	}
	if !g.cmd.append || !appendMessage(line) {
		if n > maxNonSync {
			return fmt.Sprintf("%s NO [TOOBIG] Literal too large for %s (the limit is %d octets)",
				tag, g.cmd.name, maxNonSync)
		}
		return ""
	}
	if n > g.lits.appendLimit {
		return fmt.Sprintf("%s NO [TOOBIG] Message too large (the limit is %d octets, APPENDLIMIT)",
			tag, g.lits.appendLimit)
	}
	if g.room != nil {
		if room := g.room(); room >= 0 && n > room {
			return fmt.Sprintf("%s NO [OVERQUOTA] Mailbox full: the message needs %d octets, %d are left",
				tag, n, room)
		}
	}
	return ""
}

// appendMessage reports whether the literal ending an APPEND's first line
// is the message, not the mailbox name ("a APPEND {5}" + "INBOX {120}").
func appendMessage(line []byte) bool {
	return len(strings.Fields(string(line))) > 3
}
