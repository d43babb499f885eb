package explain

import (
	"regexp"
	"strconv"
	"strings"

	"maillab/simulator/event"
)

// imapState follows one IMAP connection. Commands carry tags, so several
// may be in flight and their responses may interleave (RFC 9051 §2.2).
type imapState struct {
	greeted bool
	pending map[string]imapCmd // by tag
	idle    string             // tag of a running IDLE
	auth    string             // tag of a running AUTHENTICATE
	sasl    bool               // the server sent "+" and waits for a SASL response
	// Literals (RFC 9051 §4.3): octets still to come in each direction.
	cLit, sLit       int
	cLitCmd          imapCmd
	cLitSync         bool // a synchronising literal waits for "+"
	cAfter, sAfter   bool // the next line continues after a literal
	sLitMsg, cLitMsg bool // the literal carries a message
	msg              msgState
}

type imapCmd struct {
	tag, name, args string
	uid             bool
}

// label is "T5 FETCH" or "T6 UID FETCH".
func (c imapCmd) label() string {
	if c.uid {
		return c.tag + " UID " + c.name
	}
	return c.tag + " " + c.name
}

func (t *Tracker) imapLine(ev event.Event) Explanation {
	m := &t.imap
	if m.pending == nil {
		m.pending = map[string]imapCmd{}
	}
	var x Explanation
	if ev.Dir == event.ClientToServer {
		x = t.imapClient(ev)
	} else {
		x = t.imapServer(ev)
	}
	t.ctx.InData = m.cLit > 0 || m.sLit > 0
	return x
}

var literalAtEnd = regexp.MustCompile(`~?\{(\d+)(\+|-)?\}$`)

// literalSize returns n for a line that ends in "{n}", "{n+}" or "~{n}".
func literalSize(text string) (n int, sync bool, ok bool) {
	m := literalAtEnd.FindStringSubmatch(text)
	if m == nil {
		return 0, false, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, false, false
	}
	return n, m[2] == "", true
}

func (t *Tracker) imapClient(ev event.Event) Explanation {
	m := &t.imap
	text := ev.Text
	switch {
	case m.cLit > 0:
		return m.clientLiteral(ev)
	case m.cAfter:
		m.cAfter = false
		m.startClientLiteral(text, m.cLitCmd)
		x := ex("imap.literal.rest", "command", m.cLitCmd.label())
		return appendRest(x, text, m.cLit > 0 && m.cLitCmd.name == "APPEND")
	case m.sasl:
		m.sasl = false
		if strings.TrimSpace(text) == "*" {
			return ex("imap.sasl.cancel")
		}
		return ex("imap.sasl.response")
	case m.idle != "" && strings.EqualFold(strings.TrimSpace(text), "DONE"):
		return ex("imap.cmd.done")
	}
	cmd, ok := parseIMAPCommand(text)
	if !ok {
		return generic(ev)
	}
	m.pending[cmd.tag] = cmd
	t.ctx.LastClientCommand = cmd.tag + " " + cmd.name
	switch cmd.name {
	case "IDLE":
		m.idle = cmd.tag
	case "AUTHENTICATE":
		m.auth = cmd.tag
	}
	m.startClientLiteral(text, cmd)
	x := imapCommand(cmd)
	if x.Key == "" {
		return generic(ev)
	}
	return x
}

// startClientLiteral notes a literal announced at the end of a command
// line; its octets follow (after "+" unless it is non-synchronising).
func (m *imapState) startClientLiteral(text string, cmd imapCmd) {
	n, sync, ok := literalSize(text)
	if !ok {
		return
	}
	m.cLit, m.cLitSync, m.cLitCmd = n, sync, cmd
	m.cLitMsg = cmd.name == "APPEND"
	if m.cLitMsg {
		m.msg = msgState{}
	}
	if n == 0 {
		m.cAfter = true
	}
}

func (m *imapState) clientLiteral(ev event.Event) Explanation {
	m.cLit -= rawLen(ev)
	if m.cLit <= 0 {
		m.cLit, m.cAfter = 0, true
	}
	if m.cLitMsg {
		return m.msg.line(ev.Text)
	}
	return ex("imap.literal.data")
}

var imapTag = regexp.MustCompile(`^[!#$&'\x2c-\x5a\x5e-\x7a\x7c\x7e]+$`)

// parseIMAPCommand splits "tag [UID] NAME args" (RFC 9051 §2.2.1).
func parseIMAPCommand(text string) (imapCmd, bool) {
	f := strings.SplitN(strings.TrimSpace(text), " ", 3)
	if len(f) < 2 || !imapTag.MatchString(f[0]) {
		return imapCmd{}, false
	}
	cmd := imapCmd{tag: f[0], name: strings.ToUpper(f[1])}
	if len(f) == 3 {
		cmd.args = f[2]
	}
	if cmd.name == "UID" {
		name, args, _ := strings.Cut(cmd.args, " ")
		cmd.uid, cmd.name, cmd.args = true, strings.ToUpper(name), args
	}
	return cmd, true
}

// imapCommand explains a client command (RFC 9051 §6).
func imapCommand(cmd imapCmd) Explanation {
	var x Explanation
	first := firstArg(cmd.args)
	switch cmd.name {
	case "CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "NAMESPACE", "IDLE", "CLOSE",
		"UNSELECT", "CHECK", "ID":
		x = ex("imap.cmd." + strings.ToLower(cmd.name))
	case "EXPUNGE":
		x = ex("imap.cmd.expunge")
		if cmd.uid {
			x = ex("imap.cmd.uid-expunge", "set", first)
		}
	case "AUTHENTICATE":
		x = imapAuthenticate(cmd.args)
	case "LOGIN":
		x = ex("imap.cmd.login", "user", unquote(first))
	case "ENABLE":
		x = enableCmd(cmd.args)
	case "SELECT", "EXAMINE", "CREATE", "DELETE", "SUBSCRIBE", "UNSUBSCRIBE", "STATUS", "APPEND":
		x = ex("imap.cmd."+strings.ToLower(cmd.name), "mailbox", unquote(first))
		if q, ok := selectSync(cmd.name, cmd.args); ok {
			x = q
		}
	case "RENAME", "LIST", "LSUB":
		x = ex("imap.cmd."+strings.ToLower(cmd.name), "args", cmd.args)
	case "SEARCH":
		x = contextOpts(withSearchModSeq(ex("imap.cmd.search", "criteria", cmd.args), cmd.args), cmd.args)
	case "SORT":
		x = contextOpts(sortCmd(cmd.args), cmd.args)
	case "CANCELUPDATE":
		x = ex("imap.cmd.cancelupdate", "tags", cmd.args)
	case "THREAD":
		x = imapThread(cmd.args)
	case "FETCH":
		x = imapFetch(cmd.args)
	case "STORE":
		x = imapStore(cmd.args)
	case "COPY", "MOVE":
		set, mbox, _ := strings.Cut(cmd.args, " ")
		x = ex("imap.cmd."+strings.ToLower(cmd.name), "set", set, "mailbox", unquote(strings.TrimSpace(mbox)))
	default:
		return Explanation{}
	}
	if cmd.name == "STATUS" {
		x = withStatusModSeq(x, cmd.args) // imapcondstore.go
	}
	if cmd.name == "APPEND" && catenate.MatchString(cmd.args) {
		x = x.with("imap.append.catenate")
	}
	if cmd.uid && cmd.name != "EXPUNGE" {
		x = x.with("imap.uid")
	}
	return x
}

var (
	catenate = regexp.MustCompile(`(?i)\bCATENATE \(`)
	textPart = regexp.MustCompile(`(?i)\bTEXT ~?\{[0-9]+\+?\}$`)
)

// appendRest explains what follows an APPEND literal on the same line:
// another message (MULTIAPPEND, RFC 3502), the next TEXT part of a
// CATENATE (RFC 4469) or only the command's end.
func appendRest(x Explanation, text string, literal bool) Explanation {
	if catenate.MatchString(text) {
		x = x.with("imap.append.catenate")
	}
	switch {
	case literal && textPart.MatchString(strings.TrimSpace(text)) && !catenate.MatchString(text):
		x = x.with("imap.append.text")
	case literal:
		x = x.with("imap.append.next")
	}
	return x
}

// imapThread: THREAD algorithm charset criteria (RFC 5256 §3).
func imapThread(args string) Explanation {
	f := strings.SplitN(args, " ", 3)
	for len(f) < 3 {
		f = append(f, "")
	}
	key := "imap.cmd.thread.references"
	if strings.EqualFold(f[0], "ORDEREDSUBJECT") {
		key = "imap.cmd.thread.orderedsubject"
	}
	return ex(key, "charset", f[1], "criteria", f[2])
}

func imapAuthenticate(args string) Explanation {
	f := strings.Fields(args)
	if len(f) == 0 {
		return ex("imap.cmd.authenticate", "mechanism", "?")
	}
	if len(f) > 1 {
		return ex("imap.cmd.authenticate.ir", "mechanism", strings.ToUpper(f[0]))
	}
	return ex("imap.cmd.authenticate", "mechanism", strings.ToUpper(f[0]))
}

// imapFetch: FETCH set items [modifiers] (RFC 9051 §6.4.5; CHANGEDSINCE
// and VANISHED in imapsync.go).
func imapFetch(args string) Explanation { return fetchSync(fetchItemsAsked(args), args) }

// fetchItemsAsked: BODY[] marks the message \Seen; BODY.PEEK[] does not.
func fetchItemsAsked(args string) Explanation {
	set, items, _ := strings.Cut(args, " ")
	up := strings.ToUpper(items)
	switch {
	case strings.Contains(up, "BODY.PEEK[") || strings.Contains(up, "BINARY.PEEK["):
		return ex("imap.cmd.fetch.peek", "set", set, "items", items)
	case strings.Contains(up, "BODY[") || strings.Contains(up, "RFC822") && !strings.Contains(up, "RFC822.SIZE") ||
		strings.Contains(up, "BINARY["):
		return ex("imap.cmd.fetch.body", "set", set, "items", items)
	case strings.Contains(up, "ENVELOPE"):
		return ex("imap.cmd.fetch.overview", "set", set, "items", items)
	}
	return ex("imap.cmd.fetch", "set", set, "items", items)
}

// imapStore: STORE set [+|-]FLAGS[.SILENT] (flags) (RFC 9051 §6.4.6).
func imapStore(args string) Explanation {
	args, since := cutUnchangedSince(args) // CONDSTORE, imapcondstore.go
	f := strings.SplitN(args, " ", 3)
	if len(f) < 3 {
		return ex("imap.cmd.store.set", "set", args, "flags", "")
	}
	set, op, flags := f[0], strings.ToUpper(f[1]), f[2]
	key := "imap.cmd.store.set"
	switch {
	case strings.HasPrefix(op, "+"):
		key = "imap.cmd.store.add"
		if strings.Contains(strings.ToLower(flags), `\deleted`) {
			key = "imap.cmd.store.deleted"
		}
	case strings.HasPrefix(op, "-"):
		key = "imap.cmd.store.remove"
	}
	return withUnchangedSince(withFlags(ex(key, "set", set, "flags", flags), flags), since)
}

// withFlags adds a detail for each system flag in a flag list (RFC 9051
// §2.3.2; \Recent from RFC 3501 §2.3.2).
func withFlags(x Explanation, list string) Explanation {
	lower := strings.ToLower(list)
	for _, f := range []string{"seen", "answered", "flagged", "deleted", "draft", "recent"} {
		if strings.Contains(lower, `\`+f) {
			x = x.with("imap.flag." + f)
		}
	}
	return x
}

func firstArg(args string) string {
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, `"`) {
		if end := strings.Index(args[1:], `"`); end >= 0 {
			return args[:end+2]
		}
	}
	first, _, _ := strings.Cut(args, " ")
	return first
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
