package i18n

// Catalogue texts use a small subset of ICU MessageFormat, the same on the
// Go side and in frontend/src/lib/core/i18n.ts:
//
//	{name}                                   the parameter's value
//	{name, plural, one {…} few {…} other {…}} a counted phrase
//
// A counted phrase chooses its branch by the CLDR plural category of the
// number in params[name] in the text's language (zero, one, two, few, many,
// other), or by an exact value written "=0", "=1", … which wins over the
// category. Inside a branch "#" stands for the number and {other} params
// may be used. "other" is required; it is also the branch for a value that
// is not a number. English and German need one/other, Polish
// one/few/many/other ("1 wiadomość, 2 wiadomości, 5 wiadomości, 1,5
// wiadomości"). There is no apostrophe quoting: a brace that does not open
// a well-formed argument is plain text, so "{884}" in an explanation stays
// as it is.

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// PluralCategories are CLDR's plural categories in CLDR's order.
var PluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// node is one piece of a parsed text: literal text, a parameter, the "#"
// of a plural branch, or a counted phrase.
type node struct {
	text   string // literal text, or the source of a parameter or phrase
	param  string // the parameter's name; "" for literal text
	hash   bool   // "#" inside a plural branch
	plural []pluralCase
}

type pluralCase struct {
	selector string // "one", "few", …, or "=0"
	body     []node
}

// parse splits s into nodes. It never fails: what is not a well-formed
// argument is text.
func parse(s string) []node {
	p := parser{s: s}
	return p.message(false)
}

type parser struct {
	s   string
	pos int
}

// message reads nodes up to the end or, inside a branch, up to the
// unmatched "}" (which it leaves for the caller).
func (p *parser) message(inBranch bool) []node {
	var out []node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, node{text: text.String()})
			text.Reset()
		}
	}
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '{':
			if n, ok := p.argument(inBranch); ok {
				flush()
				out = append(out, n)
				continue
			}
		case c == '}' && inBranch:
			flush()
			return out
		case c == '#' && inBranch:
			flush()
			out = append(out, node{text: "#", hash: true})
			p.pos++
			continue
		}
		text.WriteByte(c)
		p.pos++
	}
	flush()
	return out
}

// argument reads "{name}" or "{name, plural, …}" at p.pos. On failure it
// restores p.pos and reports false.
func (p *parser) argument(inBranch bool) (node, bool) {
	start := p.pos
	fail := func() (node, bool) { p.pos = start; return node{}, false }
	p.pos++ // {
	p.space()
	name := p.name()
	if name == "" {
		return fail()
	}
	p.space()
	if p.eat("}") {
		return node{text: p.s[start:p.pos], param: name}, true
	}
	if !p.eat(",") {
		return fail()
	}
	p.space()
	if p.name() != "plural" {
		return fail()
	}
	p.space()
	if !p.eat(",") {
		return fail()
	}
	var cases []pluralCase
	for {
		p.space()
		if p.eat("}") {
			break
		}
		sel := p.selector()
		if sel == "" {
			return fail()
		}
		p.space()
		if !p.eat("{") {
			return fail()
		}
		body := p.message(true)
		if !p.eat("}") {
			return fail()
		}
		cases = append(cases, pluralCase{selector: sel, body: body})
	}
	if len(cases) == 0 {
		return fail()
	}
	return node{text: p.s[start:p.pos], param: name, plural: cases}, true
}

func (p *parser) space() {
	for p.pos < len(p.s) && strings.ContainsRune(" \t\n", rune(p.s[p.pos])) {
		p.pos++
	}
}

func (p *parser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

// name reads a parameter name: a letter or "_", then letters, digits, "_".
func (p *parser) name() string {
	start := p.pos
	for p.pos < len(p.s) && isNameByte(p.s[p.pos]) && (p.pos > start || !isDigit(p.s[p.pos])) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *parser) number() string {
	start := p.pos
	for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *parser) selector() string {
	if p.eat("=") {
		if n := p.number(); n != "" {
			return "=" + n
		}
		return ""
	}
	if sel := p.name(); slices.Contains(PluralCategories, sel) {
		return sel
	}
	return ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isNameByte(c byte) bool {
	return c == '_' || isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// format fills params into the nodes; lang chooses the plural rules. A
// parameter that params lacks stays as written, so a gap shows.
func format(lang string, nodes []node, params map[string]string, hash string) string {
	var b strings.Builder
	for _, n := range nodes {
		switch {
		case n.hash:
			b.WriteString(hash)
		case n.param == "":
			b.WriteString(n.text)
		default:
			v, ok := params[n.param]
			switch {
			case !ok:
				b.WriteString(n.text)
			case n.plural == nil:
				b.WriteString(v)
			default:
				b.WriteString(format(lang, choose(lang, n.plural, v), params, v))
			}
		}
	}
	return b.String()
}

// choose picks the branch for the number v: an exact "=v", else v's plural
// category, else "other".
func choose(lang string, cases []pluralCase, v string) []node {
	v = strings.TrimSpace(v)
	for _, c := range cases {
		if c.selector == "="+v {
			return c.body
		}
	}
	cat := PluralCategory(lang, v)
	var other []node
	for _, c := range cases {
		if c.selector == cat {
			return c.body
		}
		if c.selector == "other" {
			other = c.body
		}
	}
	return other
}

var pluralForms = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// PluralCategory is the CLDR cardinal category ("one", "few", …) of the
// decimal number v in lang; "other" when v is not a number.
func PluralCategory(lang, v string) string {
	v = strings.TrimPrefix(strings.TrimSpace(v), "-")
	intPart, frac, _ := strings.Cut(v, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) {
		return "other"
	}
	if len(intPart) > 9 { // the rules look at the last digits only (i % 100, i = 0, i = 1)
		intPart = "1" + intPart[len(intPart)-8:]
	}
	i, _ := strconv.Atoi(intPart)
	// CLDR operands: v and f with trailing zeros, w and t without.
	trimmed := strings.TrimRight(frac, "0")
	f, _ := strconv.Atoi(limit(frac))
	t, _ := strconv.Atoi(limit(trimmed))
	tag := language.Make(lang)
	return pluralForms[plural.Cardinal.MatchPlural(tag, i, len(frac), len(trimmed), f, t)]
}

func limit(digits string) string {
	if len(digits) > 9 {
		return digits[:9]
	}
	return digits
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// params lists the names of the parameters nodes use, counted phrases
// and the parameters inside their branches included.
func params(nodes []node, into map[string]bool) {
	for _, n := range nodes {
		if n.param != "" {
			into[n.param] = true
		}
		for _, c := range n.plural {
			params(c.body, into)
		}
	}
}

// Counted is one counted phrase of a text: the parameter that chooses
// and the selectors it has.
type Counted struct {
	Param     string
	Selectors []string
}

// CountedPhrases lists the counted phrases of s, nested ones included.
func CountedPhrases(s string) []Counted {
	var out []Counted
	var walk func([]node)
	walk = func(nodes []node) {
		for _, n := range nodes {
			if n.plural == nil {
				continue
			}
			c := Counted{Param: n.param}
			for _, pc := range n.plural {
				c.Selectors = append(c.Selectors, pc.selector)
				walk(pc.body)
			}
			out = append(out, c)
		}
	}
	walk(parse(s))
	return out
}
