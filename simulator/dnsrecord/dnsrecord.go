// Package dnsrecord checks the DNS records a student writes for a mail
// domain before they are saved: MX (RFC 1035 §3.3.9, RFC 7505 null MX),
// A, SPF (RFC 7208), a DKIM key record (RFC 6376 §3.6.1) and DMARC
// (RFC 7489 §6.3). Each check returns nil or a *Problem that says what is
// wrong, in English (Error) and as a catalogue key with parameters
// (Key, Params) for the other languages.
package dnsrecord

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Kinds of record Check knows.
const (
	KindMX    = "mx"    // "10 mx.example.org"
	KindA     = "a"     // "127.77.1.25"
	KindSPF   = "spf"   // "v=spf1 ip4:127.77.1.20 -all"
	KindDKIM  = "dkim"  // "v=DKIM1; k=rsa; p=MIIB…"
	KindDMARC = "dmarc" // "v=DMARC1; p=reject; rua=mailto:…"
	KindHost  = "host"  // a host name: an MX target, an A record's owner
)

// Kinds lists the kinds Check takes.
var Kinds = []string{KindMX, KindA, KindSPF, KindDKIM, KindDMARC, KindHost}

// Problem is what is wrong with one record.
type Problem struct {
	// Code names the problem; the catalogue key is "dnsrecord."+Code.
	Code string
	// Params fill the message's {placeholders}.
	Params map[string]string
	msg    string
}

// Error is the English message.
func (p *Problem) Error() string { return p.msg }

// Key is the problem's catalogue key (lessons/i18n).
func (p *Problem) Key() string { return "dnsrecord." + p.Code }

// problem makes a Problem; msg is the English template, with {name}
// placeholders filled from params given as name, value pairs.
func problem(code, msg string, kv ...string) *Problem {
	params := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
	}
	text := msg
	for _, k := range slices.Sorted(maps.Keys(params)) {
		text = strings.ReplaceAll(text, "{"+k+"}", params[k])
	}
	return &Problem{Code: code, Params: params, msg: text}
}

// Messages are the English templates of every problem, by code: the
// catalogue's "dnsrecord.*" keys say the same (a test checks they exist).
var Messages = map[string]string{}

// def registers code's English template and returns the code.
func def(code, msg string) string {
	Messages[code] = msg
	return code
}

// mk makes the Problem of a registered code.
func mk(code string, kv ...string) *Problem { return problem(code, Messages[code], kv...) }

// Check checks one record of kind (Kinds). An MX is written as
// "preference host".
func Check(kind, text string) error {
	switch kind {
	case KindMX:
		f := strings.Fields(text)
		if len(f) != 2 {
			return mk(codeMXForm, "text", text)
		}
		pref, err := strconv.Atoi(f[0])
		if err != nil {
			return mk(codeMXPref, "value", f[0])
		}
		return CheckMX(pref, f[1])
	case KindA:
		return CheckA(text)
	case KindSPF:
		return CheckSPF(text)
	case KindDKIM:
		return CheckDKIM(text)
	case KindDMARC:
		return CheckDMARC(text)
	case KindHost:
		return CheckHost(text)
	}
	return mk(codeKind, "kind", kind, "kinds", strings.Join(Kinds, ", "))
}

var (
	codeKind      = def("kind", "{kind} is not a kind of record this check knows ({kinds})")
	codeMXForm    = def("mx-form", "\"{text}\": write an MX record as a preference and a host, e.g. 10 mx.example.org")
	codeMXPref    = def("mx-preference", "preference {value} is not a whole number from 0 to 65535")
	codeMXAddr    = def("mx-address", "{host} is an address; an MX names a host, whose A record has the address (RFC 1035 §3.3.9)")
	codeMXNull    = def("mx-null", "the null MX \".\" says the domain takes no mail; its preference must be 0 (RFC 7505 §3)")
	codeMXNullOne = def("mx-null-alone", "a domain with the null MX \".\" must have no other MX record (RFC 7505 §3)")
	codeHostEmpty = def("host-empty", "the host name is missing")
	codeHostLong  = def("host-long", "{host} is longer than 253 characters")
	codeHostLabel = def("host-label", "{host}: \"{label}\" is not a host-name label (letters, digits and hyphens, 1 to 63, no hyphen at either end)")
	codeHostDots  = def("host-dots", "{host} has an empty label (two dots, or a dot at the start)")
	codeHostTop   = def("host-numeric", "{host} ends in a number: a host name ends in a name such as org")
	codeAAddr     = def("a-address", "\"{value}\" is not an IPv4 address (four numbers 0 to 255 with dots, e.g. 127.77.1.25)")
)

// CheckMX checks one MX record: its preference (16 bits, RFC 1035
// §3.3.9) and its host, a name and never an address. "." with preference
// 0 is the null MX of RFC 7505.
func CheckMX(pref int, host string) error {
	if pref < 0 || pref > 65535 {
		return mk(codeMXPref, "value", strconv.Itoa(pref))
	}
	if host == "." {
		if pref != 0 {
			return mk(codeMXNull)
		}
		return nil
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return mk(codeMXAddr, "host", host)
	}
	return CheckHost(host)
}

// CheckMXSet checks a domain's MX records together: the null MX stands
// alone (RFC 7505 §3).
func CheckMXSet(hosts []string) error {
	if len(hosts) > 1 && slices.Contains(hosts, ".") {
		return mk(codeMXNullOne)
	}
	return nil
}

// CheckHost checks a host name (RFC 1123 §2.1, RFC 952): labels of
// letters, digits and hyphens; a final dot is allowed.
func CheckHost(name string) error {
	h := strings.TrimSuffix(name, ".")
	switch {
	case h == "":
		return mk(codeHostEmpty)
	case len(h) > 253:
		return mk(codeHostLong, "host", name)
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" {
			return mk(codeHostDots, "host", name)
		}
		if !ldh(l) {
			return mk(codeHostLabel, "host", name, "label", l)
		}
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return mk(codeHostTop, "host", name)
	}
	return nil
}

func ldh(l string) bool {
	if len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, c := range []byte(l) {
		if !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// CheckA checks the address of an A record: IPv4 only (RFC 1035 §3.4.1).
func CheckA(addr string) error {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is4() {
		return mk(codeAAddr, "value", addr)
	}
	return nil
}

// tags splits a tag-list (RFC 6376 §3.2, used by DMARC too, RFC 7489
// §6.4): "name=value" separated by ";", white space around both ignored,
// a final ";" allowed. It returns the tags in order.
type tag struct{ name, value string }

func tagList(text string, kind string) ([]tag, error) {
	var out []tag
	seen := map[string]bool{}
	parts := strings.Split(text, ";")
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			if i == len(parts)-1 {
				break // a final ";" is allowed
			}
			return nil, mk(codeTagEmpty, "record", kind)
		}
		name, value, ok := strings.Cut(part, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !tagName(name) {
			return nil, mk(codeTagForm, "record", kind, "part", part)
		}
		if seen[name] {
			return nil, mk(codeTagTwice, "record", kind, "tag", name)
		}
		seen[name] = true
		out = append(out, tag{name, value})
	}
	return out, nil
}

func tagName(n string) bool {
	if n == "" || !isAlpha(n[0]) {
		return false
	}
	for _, c := range []byte(n) {
		if !isAlnum(c) && c != '_' {
			return false
		}
	}
	return true
}

var (
	codeTagEmpty = def("tag-empty", "{record}: an empty tag between two \";\"")
	codeTagForm  = def("tag-form", "{record}: \"{part}\" is not a tag=value pair")
	codeTagTwice = def("tag-twice", "{record}: the tag {tag}= appears twice, which makes the whole record invalid")
)

// ascii reports the first character outside printable US-ASCII (TXT
// records of SPF, DKIM and DMARC are ASCII), or "".
func nonASCII(s string) string {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r >= 0x7f {
			return fmt.Sprintf("%q", r)
		}
	}
	return ""
}
