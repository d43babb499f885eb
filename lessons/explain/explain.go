// Package explain says, in plain language and with the RFC section, what
// every line of a Maillab transcript means: SMTP, submission and LMTP
// commands and replies, POP3 and IMAP, the message lines inside them, DNS
// packets and TLS records. A Tracker follows one connection, because most
// lines only make sense after what came before ("250" after RCPT is not
// "250" after the final dot).
package explain

import (
	"strings"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

// Context is what came before on the same connection.
type Context struct {
	Proto string // smtp, submission, lmtp, pop3, imap, dns
	// LastClientCommand is the last command the client sent: "DATA",
	// "RCPT", "RETR", "T5 FETCH" (IMAP keeps the tag).
	LastClientCommand string
	// Answering is the command the current server line answers ("" for a
	// greeting or an unsolicited line).
	Answering string
	// InData is true between 354 and the lone dot (SMTP, LMTP), during BDAT
	// chunks, and inside a POP3 multi-line response or an IMAP literal.
	InData bool
	TLS    bool   // the connection is encrypted by now
	State  string // POP3: AUTHORIZATION, TRANSACTION or UPDATE (RFC 1939 §3)
}

// Explanation is the meaning of one line, packet or TLS record. Key and
// Details are i18n keys; Text joins them in the reader's language.
type Explanation struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
	// Details are further keys shown after Key: an enhanced status code,
	// an IMAP response code, an ESMTP parameter, a flag.
	Details []string `json:"details,omitempty"`
	RFC     string   `json:"rfc"`
	// Class is the reply class: "2xx".."5xx", "+OK"/"-ERR", "OK"/"NO"/
	// "BAD", "untagged", "continuation".
	Class string `json:"class,omitempty"`
	// Generic is true only for the honest fallback: Maillab recognised the
	// protocol and direction but has no specific text for this line.
	Generic bool `json:"generic,omitempty"`
}

// Tracker follows the events of ONE connection in order and keeps the
// context each line needs.
type Tracker struct {
	ctx  Context
	smtp smtpState
	pop3 pop3State
	imap imapState
	cred credState // the SASL exchange in progress, for every protocol
}

// NewTracker returns a tracker for a new connection.
func NewTracker() *Tracker { return &Tracker{} }

// Context returns the context after the events seen so far.
func (t *Tracker) Context() Context { return t.ctx }

// Explain updates the context with ev and explains it. Actions, state
// notes, opens and closes need no explanation: their Key is empty.
func (t *Tracker) Explain(ev event.Event) (x Explanation) {
	if t.ctx.Proto == "" {
		t.ctx.Proto = ev.Proto
	}
	defer func() {
		// A line Maillab cannot parse must never take the viewer down.
		if r := recover(); r != nil {
			x = generic(ev)
		}
		x.finish()
	}()
	switch ev.Kind {
	case event.KindLine:
		if ev.Encrypted {
			t.ctx.TLS = true
		}
		return t.credentials(ev, t.line(ev))
	case event.KindPacket:
		return explainDNS(ev.Text)
	case event.KindTLS:
		t.ctx.TLS = true
		return t.tlsRecord(ev)
	case event.KindSkip:
		return t.skip(ev)
	}
	return Explanation{}
}

func (t *Tracker) line(ev event.Event) Explanation {
	switch t.ctx.Proto {
	case "smtp", "submission", "lmtp":
		return t.smtpLine(ev)
	case "pop3":
		return t.pop3Line(ev)
	case "imap":
		return t.imapLine(ev)
	case "dns":
		return explainDNS(ev.Text)
	}
	return generic(ev)
}

// ForLog explains every line, packet and TLS record of a log, one tracker
// per connection, keyed by the event's Seq.
func ForLog(log []event.Event) map[uint64]Explanation {
	trackers := map[uint64]*Tracker{}
	out := map[uint64]Explanation{}
	for _, ev := range log {
		if ev.Kind != event.KindLine && ev.Kind != event.KindPacket && ev.Kind != event.KindTLS && ev.Kind != event.KindSkip {
			continue
		}
		t, ok := trackers[ev.Conn]
		if !ok {
			t = NewTracker()
			trackers[ev.Conn] = t
		}
		if x := t.Explain(ev); x.Key != "" {
			out[ev.Seq] = x
		}
	}
	return out
}

// Text renders an explanation in lang: the main text, then each detail.
func Text(lang string, x Explanation) string {
	if x.Key == "" {
		return ""
	}
	parts := []string{i18n.T(lang, x.Key, x.Params)}
	for _, d := range x.Details {
		parts = append(parts, i18n.T(lang, d, x.Params))
	}
	return strings.Join(parts, " ")
}

// generic is the honest fallback: the protocol and the direction, and no
// claim beyond that.
func generic(ev event.Event) Explanation {
	proto := strings.ToUpper(ev.Proto)
	if proto == "" {
		proto = "?"
	}
	key := "generic.server"
	if ev.Dir == event.ClientToServer {
		key = "generic.client"
	}
	if ev.Kind == event.KindTLS {
		key = "generic.tls"
	}
	return Explanation{Key: key, Params: map[string]string{"proto": proto}, Generic: true}
}

// finish turns short keys into catalog keys and fills in the RFC
// references from the table.
func (x *Explanation) finish() {
	if x.Key == "" {
		return
	}
	if f, ok := finished[x.Key]; ok && len(x.Details) == 0 {
		x.Key, x.RFC = f.key, f.rfc
		return
	}
	var refs references
	refs.add(table[x.Key])
	x.Key = prefix + x.Key
	for i, d := range x.Details {
		refs.add(table[d])
		x.Details[i] = prefix + d
	}
	x.RFC = refs.String()
}

// finished is what finish makes of each key of the table alone: a
// message body's every line is explained with the same key, and building
// its reference again for each line was most of what explaining it cost.
var finished = func() map[string]finishedKey {
	m := make(map[string]finishedKey, len(table))
	for k, cite := range table {
		var refs references
		refs.add(cite)
		m[k] = finishedKey{key: prefix + k, rfc: refs.String()}
	}
	return m
}()

type finishedKey struct{ key, rfc string }

// references collects "RFC 5321 §4.1.1.4, §6.1"-style citations and
// merges the sections of one RFC: "RFC 9051 §6.2.3, §7.1; RFC 2177".
type references struct {
	rfcs     []string
	sections map[string][]string
}

func (r *references) add(cite string) {
	if r.sections == nil {
		r.sections = map[string][]string{}
	}
	current := ""
	for _, part := range strings.Split(cite, ", ") {
		part = strings.TrimSpace(part)
		section := part
		if strings.HasPrefix(part, "RFC ") {
			current, section, _ = strings.Cut(part, " §")
			if _, ok := r.sections[current]; !ok {
				r.rfcs = append(r.rfcs, current)
				r.sections[current] = nil
			}
			if section == "" {
				continue
			}
			section = "§" + section
		}
		if current != "" && !contains(r.sections[current], section) {
			r.sections[current] = append(r.sections[current], section)
		}
	}
}

func (r *references) String() string {
	out := make([]string, 0, len(r.rfcs))
	for _, rfc := range r.rfcs {
		if secs := r.sections[rfc]; len(secs) > 0 {
			rfc += " " + strings.Join(secs, ", ")
		}
		out = append(out, rfc)
	}
	return strings.Join(out, "; ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// with returns x with one more detail key.
func (x Explanation) with(details ...string) Explanation {
	x.Details = append(x.Details, details...)
	return x
}

// param sets one parameter.
func (x Explanation) param(k, v string) Explanation {
	if x.Params == nil {
		x.Params = map[string]string{}
	}
	x.Params[k] = v
	return x
}

func ex(key string, kv ...string) Explanation {
	x := Explanation{Key: key}
	for i := 0; i+1 < len(kv); i += 2 {
		x = x.param(kv[i], kv[i+1])
	}
	return x
}
