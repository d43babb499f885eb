package explain

import (
	"regexp"
	"strconv"
	"strings"

	"maillab/simulator/event"
)

func (t *Tracker) imapServer(ev event.Event) Explanation {
	m := &t.imap
	text := ev.Text
	switch {
	case m.sLit > 0:
		return m.serverLiteral(ev)
	case m.sAfter:
		return m.afterServerLiteral(text)
	case !m.greeted:
		m.greeted = true
		return untagged(imapGreeting(text))
	case strings.HasPrefix(text, "+"):
		x := m.continuation(text)
		x.Class = "continuation"
		return x
	case strings.HasPrefix(text, "* "):
		x := m.untaggedResponse(text[2:])
		if x.Key == "" {
			return generic(ev)
		}
		return untagged(x)
	}
	return t.taggedResponse(ev)
}

func untagged(x Explanation) Explanation {
	x.Class = "untagged"
	return x
}

// imapGreeting: OK (not authenticated), PREAUTH or BYE (RFC 9051 §7.1).
func imapGreeting(text string) Explanation {
	status, rest := splitVerb(strings.TrimPrefix(text, "* "))
	switch status {
	case "OK":
		return loginDisabled(withCode(ex("imap.greeting"), rest), rest)
	case "PREAUTH":
		return withCode(ex("imap.greeting.preauth"), rest)
	case "BYE":
		if strings.Contains(strings.ToLower(rest), "from your address") {
			return withCode(ex("imap.greeting.bye.addr"), rest)
		}
		return withCode(ex("imap.greeting.bye"), rest)
	}
	return ex("generic.server", "proto", "IMAP").generic()
}

// continuation explains "+": the server waits for more from the client
// (RFC 9051 §7.6).
func (m *imapState) continuation(text string) Explanation {
	switch {
	case m.cLit > 0 && m.cLitSync:
		m.cLitSync = false
		return ex("imap.cont.literal")
	case m.auth != "":
		m.sasl = true
		challenge := strings.TrimSpace(strings.TrimPrefix(text, "+"))
		if challenge == "" {
			return ex("imap.cont.sasl.empty")
		}
		return ex("imap.cont.sasl", "challenge", decodeChallenge(challenge))
	case m.idle != "":
		return ex("imap.cont.idle")
	}
	return ex("imap.cont")
}

// untaggedResponse explains "* ..." (RFC 9051 §7.2-§7.5).
func (m *imapState) untaggedResponse(rest string) Explanation {
	first, tail := splitVerb(rest)
	if isDigits(first) {
		kind, data := splitVerb(tail)
		return m.messageData(first, kind, data)
	}
	if x, ok := m.syncResponse(first, tail); ok { // CONDSTORE/QRESYNC: imapsync.go
		return x
	}
	switch first {
	case "OK":
		if code, _ := parseCode(tail); code != "" {
			return codeExplanation(tail)
		}
		return ex("imap.resp.ok")
	case "NO", "BAD":
		return withCode(ex("imap.resp."+strings.ToLower(first)), tail)
	case "BYE":
		if m.pendingName("LOGOUT") {
			return ex("imap.resp.bye.logout")
		}
		m.cLit, m.cLitSync, m.cAfter = 0, false, false // no literal data is read any more
		switch {
		case strings.HasPrefix(tail, "Too many invalid"):
			return ex("imap.resp.bye.invalid")
		case strings.HasPrefix(tail, "Literal too large"):
			return ex("imap.resp.bye.literal")
		case strings.Contains(strings.ToLower(tail), "disconnected for inactivity"):
			return ex("imap.resp.bye.idle")
		}
		return withCode(ex("imap.resp.bye"), tail)
	case "CAPABILITY":
		return extensionCaps(appendLimit(loginDisabled(ex("imap.resp.capability", "caps", tail), tail), tail), tail)
	case "FLAGS":
		return ex("imap.resp.flags", "flags", tail)
	case "LIST", "LSUB":
		return m.selectList(subscriptionDetails(listResponse(tail), first, tail))
	case "STATUS":
		mbox := firstArg(tail)
		items := strings.TrimSpace(tail[len(mbox):])
		return withStatusModSeq(ex("imap.resp.status", "mailbox", unquote(mbox), "items", items), items)
	case "SEARCH":
		ids, modSeq := cutResultModSeq(tail) // imapcondstore.go
		return withResultModSeq(ex("imap.resp.search", "ids", ids), modSeq)
	case "ESEARCH":
		result, modSeq := cutResultModSeq(tail)
		return withResultModSeq(contextESearch(m.sortESearch(esearch(result), tail), tail), modSeq)
	case "SORT":
		ids, modSeq := cutResultModSeq(tail) // "* SORT 3 2 (MODSEQ 5)", RFC 7162 §3.1.5
		return withResultModSeq(sortResponse(ids), modSeq)
	case "THREAD":
		if tail == "" {
			return ex("imap.resp.thread.none")
		}
		return ex("imap.resp.thread", "threads", tail)
	case "ENABLED":
		return ex("imap.resp.enabled", "caps", tail)
	case "NAMESPACE":
		return ex("imap.resp.namespace")
	case "ID":
		return ex("imap.resp.id")
	}
	return Explanation{}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// messageData: "* n EXISTS|RECENT|EXPUNGE|FETCH".
func (m *imapState) messageData(n, kind, data string) Explanation {
	switch kind {
	case "EXISTS":
		if m.pendingName("SELECT") || m.pendingName("EXAMINE") {
			return ex("imap.resp.exists.select", "n", n)
		}
		return ex("imap.resp.exists.new", "n", n)
	case "RECENT":
		return ex("imap.resp.recent", "n", n)
	case "EXPUNGE":
		return ex("imap.resp.expunge", "n", n)
	case "FETCH":
		return m.fetchResponse(n, data)
	}
	return Explanation{}
}

// fetchResponse: the data the client asked for, the new flags after
// STORE, or an unsolicited update of flags another session changed (RFC
// 9051 §7.5.2).
func (m *imapState) fetchResponse(n, data string) Explanation {
	if size, _, ok := literalSize(data); ok {
		m.startServerLiteral(data, size)
		return ex("imap.resp.fetch.body", "n", n, "size", strconv.Itoa(size))
	}
	var x Explanation
	switch {
	case m.pendingName("FETCH"):
		return modseqData(fetchItems(fetchFlags(ex("imap.resp.fetch", "n", n), data), data), data)
	case m.pendingName("STORE"):
		x = ex("imap.resp.fetch.store", "n", n)
	case m.pendingName("SELECT") || m.pendingName("EXAMINE"):
		// Only a SELECT with QRESYNC brings FETCH: what changed since
		// the client's mod-sequence (RFC 7162 §3.2.5.1).
		uid := "?"
		if u := uidItem.FindStringSubmatch(data); u != nil {
			uid = u[1]
		}
		x = ex("imap.resp.fetch.qresync", "n", n, "uid", uid)
	default:
		x = ex("imap.resp.fetch.push", "n", n)
	}
	return modseqData(fetchFlags(x, data), data)
}

var flagsItem = regexp.MustCompile(`(?i)FLAGS \(([^)]*)\)`)

func fetchFlags(x Explanation, data string) Explanation {
	m := flagsItem.FindStringSubmatch(data)
	if m == nil {
		return x
	}
	if strings.TrimSpace(m[1]) == "" {
		return x.with("imap.flag.none")
	}
	return withFlags(x, m[1])
}

var messageSection = regexp.MustCompile(`(?i)(?:(?:BODY|BINARY)\[([^\]]*)\](?:<\d+>)?|RFC822(\.HEADER|\.TEXT)?) ~?\{\d+\+?\}$`)

// startServerLiteral: the next size octets are the literal; when it holds
// a message (BODY[], RFC822, BODY[TEXT], ...) its lines are explained as
// message lines.
func (m *imapState) startServerLiteral(data string, size int) {
	m.sLit, m.sLitMsg = size, false
	if size == 0 {
		m.sAfter = true
	}
	sec := messageSection.FindStringSubmatch(data)
	if sec == nil {
		return
	}
	m.sLitMsg = true
	part := strings.ToUpper(sec[1] + sec[2])
	switch {
	case part == "" || strings.HasPrefix(part, "HEADER") || strings.HasSuffix(part, "MIME") || part == ".HEADER":
		m.msg = msgState{}
	default:
		m.msg = msgState{}
		m.msg.startBody()
	}
}

func (m *imapState) serverLiteral(ev event.Event) Explanation {
	m.sLit -= rawLen(ev)
	if m.sLit <= 0 {
		m.sLit, m.sAfter = 0, true
	}
	if m.sLitMsg {
		return m.msg.line(ev.Text)
	}
	return ex("imap.literal.data")
}

// afterServerLiteral: the rest of the response after the literal, usually
// the closing parenthesis of FETCH.
func (m *imapState) afterServerLiteral(text string) Explanation {
	m.sAfter = false
	x := ex("imap.resp.fetch.cont")
	if strings.HasPrefix(strings.TrimSpace(text), ")") {
		x = ex("imap.resp.fetch.end")
	}
	if size, _, ok := literalSize(text); ok {
		m.startServerLiteral(text, size)
	}
	return x
}

func (m *imapState) pendingName(name string) bool {
	for _, c := range m.pending {
		if c.name == name {
			return true
		}
	}
	return false
}

// listResponse: "* LIST (attributes) delimiter name" (RFC 9051 §7.3.1).
func listResponse(tail string) Explanation {
	attrs, rest := "", tail
	if strings.HasPrefix(tail, "(") {
		if end := strings.IndexByte(tail, ')'); end >= 0 {
			attrs, rest = tail[1:end], strings.TrimSpace(tail[end+1:])
		}
	}
	delim := firstArg(rest)
	name := unquote(firstArg(strings.TrimPrefix(rest, delim))) // before any extended data
	x := ex("imap.resp.list", "mailbox", name, "attrs", attrs)
	lower := strings.ToLower(attrs)
	for _, a := range []string{`\sent`, `\drafts`, `\trash`, `\junk`, `\archive`, `\all`, `\flagged`} {
		if strings.Contains(lower, a) {
			return x.param("use", strings.TrimPrefix(a, `\`)).with("imap.special-use")
		}
	}
	return x
}

// taggedResponse: the completion of the command with that tag, OK, NO or
// BAD (RFC 9051 §7.1.1-§7.1.3).
func (t *Tracker) taggedResponse(ev event.Event) Explanation {
	m := &t.imap
	tag, rest, _ := strings.Cut(strings.TrimSpace(ev.Text), " ")
	status, tail := splitVerb(rest)
	if status != "OK" && status != "NO" && status != "BAD" {
		return generic(ev)
	}
	cmd, known := m.pending[tag]
	delete(m.pending, tag)
	// The answer instead of "+": the server refused the literal before
	// the client sent any of it (RFC 9051 §4.3), so none follows.
	refused := m.cLit > 0 && m.cLitSync && m.cLitCmd.tag == tag
	if refused {
		m.cLit, m.cLitSync = 0, false
	}
	if tag == m.idle {
		m.idle = ""
	}
	if tag == m.auth {
		m.auth, m.sasl = "", false
	}
	label := tag
	if known {
		label = cmd.label()
		t.ctx.Answering = label
	}
	var x Explanation
	switch status {
	case "OK":
		x = imapOK(cmd, label)
	case "NO":
		x = imapNO(cmd, label, tail)
	default:
		x = ex("imap.bad", "command", label)
	}
	x = withCode(x, tail)
	if refused {
		x = x.with("imap.literal.refused")
	}
	x.Class = status
	return x
}

func imapOK(cmd imapCmd, label string) Explanation {
	key := "imap.ok." + strings.ToLower(cmd.name)
	if cmd.uid && cmd.name == "EXPUNGE" {
		key = "imap.ok.uid-expunge"
	}
	if _, ok := table[key]; !ok || cmd.name == "" {
		return ex("imap.ok", "command", label)
	}
	return ex(key, "command", label, "mailbox", unquote(firstArg(cmd.args)))
}

func imapNO(cmd imapCmd, label, text string) Explanation {
	if strings.Contains(text, "is not valid modified UTF-7") {
		return ex("imap.no.mutf7", "command", label)
	}
	switch cmd.name {
	case "LOGIN", "AUTHENTICATE":
		if strings.Contains(strings.ToLower(text), "authentication failures from your address") {
			return ex("imap.no.login.locked", "command", label)
		}
		return ex("imap.no.login", "command", label)
	case "SELECT", "EXAMINE":
		return ex("imap.no.select", "command", label, "mailbox", unquote(firstArg(cmd.args)))
	}
	return ex("imap.no", "command", label)
}

var codePattern = regexp.MustCompile(`^\[([A-Za-z0-9.-]+)(?: ([^\]]*))?\]`)

// parseCode returns the response code of "[CODE args] text" (RFC 9051 §7.1).
func parseCode(text string) (code, args string) {
	m := codePattern.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return "", ""
	}
	return strings.ToUpper(m[1]), m[2]
}

// codeExplanation explains a response code as a line of its own.
func codeExplanation(text string) Explanation {
	code, args := parseCode(text)
	key := "imap.code." + strings.ToLower(code)
	if _, ok := table[key]; ok {
		return ex(key, "args", args)
	}
	return ex("imap.code.unknown", "code", code).generic()
}

// withCode adds the response code of a status response as a detail.
func withCode(x Explanation, text string) Explanation {
	code, args := parseCode(text)
	if code == "" {
		return x
	}
	c := codeExplanation(text)
	x = x.param("args", args).param("code", code).with(c.Key)
	x.Generic = x.Generic || c.Generic
	if strings.EqualFold(code, "CAPABILITY") {
		x = extensionCaps(appendLimit(x, args), args)
	}
	return x
}

// capDetails are the capabilities whose meaning a capability list explains
// in a detail of its own.
var capDetails = []struct{ name, key string }{
	{"ID", "imap.cap.id"},
	{"BINARY", "imap.cap.binary"},
	{"LITERAL+", "imap.cap.literalplus"},
	{"CONDSTORE", "imap.cap.condstore"},
	{"QRESYNC", "imap.cap.qresync"},
	{"SORT", "imap.cap.sort"},
	{"SORT=DISPLAY", "imap.cap.sortdisplay"},
	{"ESORT", "imap.cap.esort"},
	{"CONTEXT=SEARCH", "imap.cap.contextsearch"},
	{"CONTEXT=SORT", "imap.cap.contextsort"},
	{"THREAD=REFERENCES", "imap.cap.thread"},
	{"MULTIAPPEND", "imap.cap.multiappend"},
	{"CATENATE", "imap.cap.catenate"},
}

// extensionCaps adds what ID (RFC 2971), BINARY (RFC 3516) and LITERAL+
// (RFC 7888) mean when a capability list carries them.
func extensionCaps(x Explanation, caps string) Explanation {
	fields := strings.Fields(strings.Trim(caps, "[]"))
	for _, d := range capDetails {
		for _, c := range fields {
			if strings.EqualFold(strings.TrimSuffix(c, "]"), d.name) {
				x = x.with(d.key)
				break
			}
		}
	}
	return x
}

// appendLimit adds what APPENDLIMIT=n means when a capability list carries
// it (RFC 7889): the largest message APPEND takes.
func appendLimit(x Explanation, caps string) Explanation {
	for _, c := range strings.Fields(caps) {
		if n, ok := strings.CutPrefix(strings.ToUpper(c), "APPENDLIMIT="); ok {
			return x.param("limit", n).with("imap.cap.appendlimit")
		}
	}
	return x
}
