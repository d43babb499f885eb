package explain

import (
	"regexp"
	"strings"

	"maillab/simulator/event"
)

// pop3State follows one POP3 connection through its states (RFC 1939 §3):
// AUTHORIZATION, TRANSACTION after a successful login, UPDATE after QUIT.
type pop3State struct {
	greeted bool
	pending []pop3Cmd // commands waiting for their status line (RFC 2449 PIPELINING)
	multi   *pop3Cmd  // the command whose multi-line response is being read
	msg     msgState
	sasl    bool // the server sent "+ " and waits for a SASL response (RFC 5034 §4)
	dele    deleMarks
}

type pop3Cmd struct {
	verb, arg   string
	transaction bool // sent in the TRANSACTION state
}

func (t *Tracker) pop3Line(ev event.Event) Explanation {
	var x Explanation
	if ev.Dir == event.ClientToServer {
		x = t.pop3Client(ev)
	} else {
		x = t.pop3Server(ev)
	}
	t.ctx.InData = t.pop3.multi != nil
	return x
}

func (t *Tracker) pop3Client(ev event.Event) Explanation {
	p := &t.pop3
	if p.sasl {
		p.sasl = false
		if strings.TrimSpace(ev.Text) == "*" {
			return ex("pop3.sasl.cancel")
		}
		return ex("pop3.sasl.response")
	}
	verb, arg := splitVerb(ev.Text)
	cmd := pop3Cmd{verb: verb, arg: arg, transaction: t.ctx.State == "TRANSACTION"}
	p.pending = append(p.pending, cmd)
	t.ctx.LastClientCommand = verb
	x := pop3Command(cmd, ev)
	switch {
	case verb == "DELE":
		p.dele.pending++
	case x.Key == "pop3.cmd.quit.update":
		x.Key = p.dele.quitKey("pop3.cmd.quit")
	}
	return x
}

// pop3Command explains a command (RFC 1939 §4-§7, RFC 2449, 2595, 5034).
func pop3Command(cmd pop3Cmd, ev event.Event) Explanation {
	first, second, _ := strings.Cut(cmd.arg, " ")
	switch cmd.verb {
	case "USER", "APOP":
		return ex("pop3.cmd."+strings.ToLower(cmd.verb), "user", first)
	case "LIST", "UIDL":
		if first != "" {
			return ex("pop3.cmd."+strings.ToLower(cmd.verb)+".one", "msg", first)
		}
		return ex("pop3.cmd." + strings.ToLower(cmd.verb))
	case "RETR", "DELE":
		return ex("pop3.cmd."+strings.ToLower(cmd.verb), "msg", first)
	case "TOP":
		return ex("pop3.cmd.top", "msg", first, "lines", strings.TrimSpace(second))
	case "QUIT":
		if cmd.transaction {
			return ex("pop3.cmd.quit.update")
		}
		return ex("pop3.cmd.quit")
	case "AUTH":
		if second != "" {
			return ex("pop3.cmd.auth.ir", "mechanism", strings.ToUpper(first))
		}
		return ex("pop3.cmd.auth", "mechanism", strings.ToUpper(first))
	case "PASS", "STAT", "NOOP", "RSET", "CAPA", "STLS":
		return ex("pop3.cmd." + strings.ToLower(cmd.verb))
	}
	return generic(ev)
}

func (t *Tracker) pop3Server(ev event.Event) Explanation {
	p := &t.pop3
	text := ev.Text
	if p.multi != nil {
		return p.multiLine(text)
	}
	if !p.greeted {
		p.greeted = true
		t.ctx.State = "AUTHORIZATION"
		return pop3Greeting(text)
	}
	switch {
	case isStatus(text, "-ERR") && strings.Contains(strings.ToLower(text), "disconnected for inactivity"):
		// Answers no command: the server's idle timer ran out.
		x := ex("pop3.err.idle")
		x.Class = "-ERR"
		return x
	case isStatus(text, "+OK"):
		return t.pop3Status(text, true)
	case isStatus(text, "-ERR"):
		return t.pop3Status(text, false)
	case text == "+" || strings.HasPrefix(text, "+ "):
		p.sasl = true
		x := ex("pop3.sasl.challenge")
		x.Class = "continuation"
		return x
	}
	return generic(ev)
}

func isStatus(text, status string) bool {
	return text == status || strings.HasPrefix(text, status+" ")
}

var apopStamp = regexp.MustCompile(`<[^<>@\s]+@[^<>\s]+>`)

// pop3Greeting: "+OK ..." opens the AUTHORIZATION state; a timestamp in
// angle brackets offers APOP (RFC 1939 §4, §7).
func pop3Greeting(text string) Explanation {
	var x Explanation
	switch {
	case !isStatus(text, "+OK") && strings.Contains(strings.ToLower(text), "from your address"):
		x = ex("pop3.greeting.err.addr")
		x.Class = "-ERR"
		return x
	case !isStatus(text, "+OK"):
		x = ex("pop3.greeting.err")
		x.Class = "-ERR"
		return x
	case apopStamp.MatchString(text):
		x = ex("pop3.greeting.apop", "timestamp", apopStamp.FindString(text))
	default:
		x = ex("pop3.greeting")
	}
	x.Class = "+OK"
	return x
}

// pop3Status explains "+OK"/"-ERR" as the answer to the oldest pending
// command and moves the state on.
func (t *Tracker) pop3Status(text string, ok bool) Explanation {
	p := &t.pop3
	p.sasl = false
	cmd := pop3Cmd{}
	if len(p.pending) > 0 {
		cmd, p.pending = p.pending[0], p.pending[1:]
	}
	t.ctx.Answering = cmd.verb
	p.dele.answer(cmd.verb, ok)
	var x Explanation
	if ok {
		x = t.pop3OK(text, cmd)
		x.Class = "+OK"
	} else {
		x = pop3Err(text, cmd, t.ctx.TLS)
		x.Class = "-ERR"
	}
	return x
}

var leadingNumbers = regexp.MustCompile(`^\+OK\s+(\d+)(?:\s+(\S+))?`)

func (t *Tracker) pop3OK(text string, cmd pop3Cmd) Explanation {
	p := &t.pop3
	n := leadingNumbers.FindStringSubmatch(text)
	num := func(i int) string {
		if n == nil || n[i] == "" {
			return "?"
		}
		return n[i]
	}
	switch cmd.verb {
	case "USER":
		return ex("pop3.ok.user")
	case "PASS", "APOP", "AUTH":
		t.ctx.State = "TRANSACTION"
		return ex("pop3.ok.login")
	case "STAT":
		return ex("pop3.ok.stat", "count", num(1), "size", num(2))
	case "LIST", "UIDL":
		if cmd.arg != "" {
			return ex("pop3.ok."+strings.ToLower(cmd.verb)+".one", "msg", num(1), "value", num(2))
		}
		p.startMulti(cmd)
		return ex("pop3.ok." + strings.ToLower(cmd.verb))
	case "RETR", "TOP", "CAPA":
		p.startMulti(cmd)
		return ex("pop3.ok."+strings.ToLower(cmd.verb), "size", num(1))
	case "DELE":
		return ex("pop3.ok.dele", "msg", cmd.arg)
	case "QUIT":
		if cmd.transaction {
			t.ctx.State = "UPDATE"
			return ex(p.dele.quitKey("pop3.ok.quit"))
		}
		return ex("pop3.ok.quit")
	case "NOOP", "RSET", "STLS":
		return ex("pop3.ok." + strings.ToLower(cmd.verb))
	}
	return ex("pop3.ok", "command", orDash(cmd.verb))
}

func (p *pop3State) startMulti(cmd pop3Cmd) {
	c := cmd
	p.multi = &c
	p.msg = msgState{}
}

var respCode = regexp.MustCompile(`^-ERR \[([A-Za-z0-9/-]+)\]`)

// pop3Err explains "-ERR", with the response codes of RFC 2449 §8 and
// RFC 3206.
func pop3Err(text string, cmd pop3Cmd, tls bool) Explanation {
	if strings.Contains(strings.ToLower(text), "authentication failures from your address") {
		return ex("pop3.err.login.locked", "command", orDash(cmd.verb))
	}
	if strings.HasPrefix(text, "-ERR Too many invalid commands") {
		return ex("pop3.err.invalid")
	}
	if m := respCode.FindStringSubmatch(text); m != nil {
		if pop3PlainRefused(m[1], cmd, tls, text) {
			return ex("pop3.err.code.auth.plaintext", "command", cmd.verb)
		}
		key := "pop3.err.code." + strings.ToLower(strings.ReplaceAll(m[1], "/", "-"))
		if _, ok := table[key]; ok {
			return ex(key, "command", orDash(cmd.verb))
		}
		return ex("pop3.err", "command", orDash(cmd.verb))
	}
	switch cmd.verb {
	case "PASS", "APOP", "AUTH":
		return ex("pop3.err.login")
	}
	return ex("pop3.err", "command", orDash(cmd.verb))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// multiLine explains a line of a multi-line response; a lone dot ends it
// and a leading dot was doubled (RFC 1939 §3).
func (p *pop3State) multiLine(text string) Explanation {
	cmd := p.multi
	if text == "." {
		p.multi = nil
		return ex("pop3.multiline.end", "command", cmd.verb)
	}
	stuffed := strings.HasPrefix(text, ".")
	if stuffed {
		text = text[1:]
	}
	var x Explanation
	switch cmd.verb {
	case "LIST":
		msg, size, _ := strings.Cut(text, " ")
		x = ex("pop3.list.line", "msg", msg, "size", size)
	case "UIDL":
		msg, uid, _ := strings.Cut(text, " ")
		x = ex("pop3.uidl.line", "msg", msg, "uid", uid)
	case "CAPA":
		x = capaLine(text)
	default:
		x = p.msg.line(text)
	}
	if stuffed {
		x = x.with("pop3.dot-stuffed")
	}
	return x
}

// capaLine explains one capability of the CAPA listing (RFC 2449 §6).
func capaLine(text string) Explanation {
	name, args := splitVerb(text)
	if pop3Capas[name] {
		return ex("pop3.capa."+strings.ToLower(name), "args", args)
	}
	return ex("pop3.capa.unknown", "name", name).generic()
}

var pop3Capas = map[string]bool{
	"TOP": true, "USER": true, "SASL": true, "RESP-CODES": true, "LOGIN-DELAY": true,
	"PIPELINING": true, "EXPIRE": true, "UIDL": true, "IMPLEMENTATION": true, "STLS": true,
	"AUTH-RESP-CODE": true, "UTF8": true,
}

// deleMarks counts the messages DELE marked in this session. Only they
// are removed when QUIT moves the session into the UPDATE state; without
// a DELE (or after RSET) QUIT removes nothing (RFC 1939 §5, §6).
type deleMarks struct {
	marked  int // DELE answered +OK, not undone by RSET
	pending int // DELE sent, its answer not seen yet
}

// answer notes the status line that answers verb.
func (d *deleMarks) answer(verb string, ok bool) {
	switch verb {
	case "DELE":
		d.pending = max(d.pending-1, 0)
		if ok {
			d.marked++
		}
	case "RSET":
		if ok {
			d.marked = 0
		}
	}
}

// quitKey picks prefix.update when messages are marked, prefix.keep when
// none are, and prefix.unsure while a DELE still waits for its answer.
func (d *deleMarks) quitKey(prefix string) string {
	switch {
	case d.pending > 0:
		return prefix + ".unsure"
	case d.marked > 0:
		return prefix + ".update"
	}
	return prefix + ".keep"
}
