package imap

import (
	"bufio"
	"bytes"
	"mime"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// Our own ENVELOPE extraction (RFC 9051 §7.5.2, RFC 3501 §7.4.2).
// go-imap's imapserver.ExtractEnvelope parses address lists with net/mail,
// which flattens groups ("To: group: a@b, c@d;" loses its name, "Cc:
// group:;" becomes NIL) and rejects a source route ("<@route:user@domain>"
// blanks the whole From). This parser follows RFC 5322 §3.4 with its
// obsolete forms (§4.4), as Dovecot's does:
//   - a group is announced by an address with the group's name as mailbox
//     and no host, (NIL NIL "group" NIL), and closed by one with neither,
//     (NIL NIL NIL NIL), which is how go-imap's writer prints
//     Address{Mailbox: name} and Address{};
//   - a source route is kept as the address's at-domain-list
//     ("@route", go-imap patch 5), the mailbox after it too;
//   - "user@domain (Real Name)" takes the comment as name;
//   - a missing local part or domain becomes MISSING_MAILBOX or
//     MISSING_DOMAIN, so an address never looks like a group marker.

const (
	missingMailbox = "MISSING_MAILBOX"
	missingDomain  = "MISSING_DOMAIN"
)

// envelope parses the header for ENVELOPE; a message without a parsable
// header gets an empty envelope.
func envelope(raw []byte) *goimap.Envelope {
	h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		return nil
	}
	mh := mail.Header{}
	mh.Header.Header = h
	date, _ := mh.Date()
	subject, _ := mh.Subject()
	inReplyTo, _ := mh.MsgIDList("In-Reply-To")
	messageID, _ := mh.MessageID()
	return &goimap.Envelope{
		Date:      date,
		Subject:   subject,
		From:      headerAddresses(h, "From"),
		Sender:    headerAddresses(h, "Sender"),
		ReplyTo:   headerAddresses(h, "Reply-To"),
		To:        headerAddresses(h, "To"),
		Cc:        headerAddresses(h, "Cc"),
		Bcc:       headerAddresses(h, "Bcc"),
		InReplyTo: inReplyTo,
		MessageID: messageID,
	}
}

// headerAddresses parses the first field named k.
func headerAddresses(h textproto.Header, k string) []goimap.Address {
	if !h.Has(k) {
		return nil
	}
	return parseAddressList(h.Get(k))
}

// token kinds of an address header.
const (
	tokAtom    = iota // atext run, or a domain literal [..]
	tokQuoted         // quoted-string, unquoted
	tokSpecial        // one of ()<>[]:;@\,."
	tokComment        // (comment), without its parentheses
)

type addrToken struct {
	kind int
	text string
}

func (t addrToken) is(c byte) bool { return t.kind == tokSpecial && t.text == string(c) }

// tokenizeAddresses splits s into RFC 5322 tokens; folding white space
// only separates them. A broken quote or comment runs to the end.
func tokenizeAddresses(s string) []addrToken {
	var toks []addrToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '"':
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++
			toks = append(toks, addrToken{tokQuoted, b.String()})
		case c == '(':
			var b strings.Builder
			depth := 0
			for ; i < len(s); i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
					b.WriteByte(s[i])
					continue
				}
				if s[i] == '(' {
					depth++
					if depth == 1 {
						continue
					}
				} else if s[i] == ')' {
					depth--
					if depth == 0 {
						i++
						break
					}
				}
				b.WriteByte(s[i])
			}
			toks = append(toks, addrToken{tokComment, strings.TrimSpace(b.String())})
		case c == '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				j = len(s) - i - 1
			}
			toks = append(toks, addrToken{tokAtom, s[i : i+j+1]})
			i += j + 1
		case strings.IndexByte("<>:;@,.\\])", c) >= 0:
			toks = append(toks, addrToken{tokSpecial, string(c)})
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\r\n\"()<>[]:;@,.\\", s[j]) < 0 {
				j++
			}
			toks = append(toks, addrToken{tokAtom, s[i:j]})
			i = j
		}
	}
	return toks
}

type addrParser struct {
	toks []addrToken
	pos  int
	// comment is the last comment skipped, a name for a bare addr-spec.
	comment string
}

// next skips comments and returns the next token; ok is false at the end.
func (p *addrParser) peek() (addrToken, bool) {
	for p.pos < len(p.toks) && p.toks[p.pos].kind == tokComment {
		p.comment = p.toks[p.pos].text
		p.pos++
	}
	if p.pos >= len(p.toks) {
		return addrToken{}, false
	}
	return p.toks[p.pos], true
}

// parseAddressList parses an address-list into ENVELOPE addresses with
// group markers.
func parseAddressList(s string) []goimap.Address {
	p := &addrParser{toks: tokenizeAddresses(s)}
	var out []goimap.Address
	for {
		t, ok := p.peek()
		if !ok {
			return out
		}
		if t.is(',') || t.is(';') || t.is('>') {
			p.pos++
			continue
		}
		out = p.mailboxOrGroup(out, true)
	}
}

// mailboxOrGroup parses one mailbox, or a whole group when allowed.
func (p *addrParser) mailboxOrGroup(out []goimap.Address, groupOK bool) []goimap.Address {
	p.comment = ""
	var words []addrToken // phrase, or local part of an addr-spec
	for {
		t, ok := p.peek()
		if !ok || (t.kind == tokSpecial && !t.is('.')) {
			break
		}
		words = append(words, t)
		p.pos++
	}
	t, _ := p.peek()
	switch {
	case t.is(':') && groupOK:
		p.pos++
		out = append(out, goimap.Address{Mailbox: orMissing(phrase(words), missingMailbox)})
		for {
			t, ok := p.peek()
			if !ok || t.is(';') {
				p.pos++
				break
			}
			if t.is(',') || t.is('>') || t.is(':') {
				p.pos++
				continue
			}
			out = p.mailboxOrGroup(out, false)
		}
		return append(out, goimap.Address{})
	case t.is('<'):
		p.pos++
		a := p.angleAddr()
		a.Name = phrase(words)
		return append(out, a)
	case t.is('@'):
		p.pos++
		a := goimap.Address{Mailbox: localPart(words), Host: p.domain()}
		p.peek() // a trailing comment names a bare address
		a.Name = decodeWords(p.comment)
		return append(out, fill(a))
	default:
		if len(words) == 0 {
			p.pos++ // a stray special
			return out
		}
		p.peek()
		return append(out, fill(goimap.Address{Mailbox: localPart(words), Name: decodeWords(p.comment)}))
	}
}

// angleAddr parses what follows "<": an optional obsolete route
// "@a,@b:", then local@domain, up to ">".
func (p *addrParser) angleAddr() goimap.Address {
	var route strings.Builder
	if t, _ := p.peek(); t.is('@') {
		for {
			t, ok := p.peek()
			if !ok || t.is(':') || t.is('>') {
				if ok && t.is(':') {
					p.pos++
				}
				break
			}
			route.WriteString(t.text)
			p.pos++
		}
	}
	var words []addrToken
	for {
		t, ok := p.peek()
		if !ok || (t.kind == tokSpecial && !t.is('.')) {
			break
		}
		words = append(words, t)
		p.pos++
	}
	a := goimap.Address{Mailbox: localPart(words)}
	if t, _ := p.peek(); t.is('@') {
		p.pos++
		a.Host = p.domain()
	}
	if t, ok := p.peek(); ok && t.is('>') {
		p.pos++
	}
	if a.Mailbox == "" && a.Host == "" {
		return goimap.Address{Mailbox: missingMailbox, Host: missingDomain} // "<>"
	}
	a = fill(a)
	a.Route = route.String()
	return a
}

// domain reads dot-atoms and domain literals.
func (p *addrParser) domain() string {
	var b strings.Builder
	for {
		t, ok := p.peek()
		if !ok || (t.kind == tokSpecial && !t.is('.')) {
			return b.String()
		}
		b.WriteString(t.text)
		p.pos++
	}
}

func fill(a goimap.Address) goimap.Address {
	a.Mailbox = orMissing(a.Mailbox, missingMailbox)
	a.Host = orMissing(a.Host, missingDomain)
	return a
}

func orMissing(s, missing string) string {
	if s == "" {
		return missing
	}
	return s
}

// localPart joins words and dots as written ("first.last").
func localPart(words []addrToken) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w.text)
	}
	return b.String()
}

// phrase joins a display name's words with single spaces and decodes
// RFC 2047 encoded words.
func phrase(words []addrToken) string {
	var parts []string
	for _, w := range words {
		if w.is('.') && len(parts) > 0 {
			parts[len(parts)-1] += "." // obs-phrase: "A. Name"
			continue
		}
		parts = append(parts, w.text)
	}
	return decodeWords(strings.Join(parts, " "))
}

var wordDecoder = mime.WordDecoder{CharsetReader: charset.Reader}

func decodeWords(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}
