package explain

import (
	"regexp"
	"strings"
)

var (
	uidItem      = regexp.MustCompile(`(?i)(?:^|[\s(])UID (\d+)`)
	sizeItem     = regexp.MustCompile(`(?i)(?:^|[\s(])RFC822\.SIZE (\d+)`)
	envelopeItem = regexp.MustCompile(`(?i)(?:^|[\s(])ENVELOPE \(`)
)

// fetchItems explains the data items of a FETCH response the client asked
// for, beyond the flags: UID, RFC822.SIZE and ENVELOPE (RFC 9051 §7.5.2).
func fetchItems(x Explanation, data string) Explanation {
	if m := uidItem.FindStringSubmatch(data); m != nil {
		x = x.param("uid", m[1]).with("imap.item.uid")
	}
	if m := sizeItem.FindStringSubmatch(data); m != nil {
		x = x.param("octets", m[1]).with("imap.item.size")
	}
	if env, ok := parseEnvelope(data); ok {
		x = x.param("envaddr", env.raw).param("envmailbox", env.mailbox).with("imap.item.envelope")
	}
	return x
}

// envelopeAddress is the first From: address of an ENVELOPE, as sent and
// as a reader writes it.
type envelopeAddress struct {
	raw     string // ("Alice" NIL "alice" "example.org")
	mailbox string // Alice <alice@example.org>
}

// parseEnvelope finds ENVELOPE (date subject from sender reply-to to cc
// bcc in-reply-to message-id) and returns its first from address. Each
// address is (name adl mailbox host) (RFC 9051 §7.5.2, §9 "address").
func parseEnvelope(data string) (envelopeAddress, bool) {
	loc := envelopeItem.FindStringIndex(data)
	if loc == nil {
		return envelopeAddress{}, false
	}
	p := &sexpParser{s: data, pos: loc[1] - 1} // at the "("
	env, ok := p.parse()
	if !ok || len(env.list) != 10 || len(env.list[2].list) == 0 {
		return envelopeAddress{}, false
	}
	addr := env.list[2].list[0]
	if len(addr.list) != 4 {
		return envelopeAddress{}, false
	}
	name, mailbox, host := addr.list[0], addr.list[2], addr.list[3]
	if mailbox.nil || host.nil {
		return envelopeAddress{}, false
	}
	out := mailbox.atom + "@" + host.atom
	if !name.nil && name.atom != "" {
		out = name.atom + " <" + out + ">"
	}
	return envelopeAddress{raw: data[addr.start:addr.end], mailbox: out}, true
}

// sexp is an IMAP value: a list, NIL, or a string or atom.
type sexp struct {
	list       []sexp
	nil        bool
	atom       string
	start, end int // its bytes in the input
}

// sexpParser reads parenthesised lists of quoted strings and atoms. A
// literal ({n}) ends parsing: the value continues on the next line.
type sexpParser struct {
	s   string
	pos int
}

func (p *sexpParser) parse() (sexp, bool) {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.s) {
		return sexp{}, false
	}
	start := p.pos
	switch c := p.s[p.pos]; c {
	case '(':
		p.pos++
		v := sexp{start: start}
		for {
			for p.pos < len(p.s) && p.s[p.pos] == ' ' {
				p.pos++
			}
			if p.pos >= len(p.s) {
				return sexp{}, false
			}
			if p.s[p.pos] == ')' {
				p.pos++
				v.end = p.pos
				return v, true
			}
			item, ok := p.parse()
			if !ok {
				return sexp{}, false
			}
			v.list = append(v.list, item)
		}
	case '"':
		var b strings.Builder
		for p.pos++; p.pos < len(p.s); p.pos++ {
			switch p.s[p.pos] {
			case '\\':
				p.pos++
				if p.pos < len(p.s) {
					b.WriteByte(p.s[p.pos])
				}
			case '"':
				p.pos++
				return sexp{atom: b.String(), start: start, end: p.pos}, true
			default:
				b.WriteByte(p.s[p.pos])
			}
		}
		return sexp{}, false
	case '{', ')':
		return sexp{}, false
	}
	for p.pos < len(p.s) && p.s[p.pos] != ' ' && p.s[p.pos] != '(' && p.s[p.pos] != ')' {
		p.pos++
	}
	atom := p.s[start:p.pos]
	return sexp{atom: atom, nil: strings.EqualFold(atom, "NIL"), start: start, end: p.pos}, true
}
