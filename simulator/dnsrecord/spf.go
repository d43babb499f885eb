package dnsrecord

import (
	"net/netip"
	"strconv"
	"strings"
)

// MaxSPFLookups is the limit on terms that cause DNS queries (include, a,
// mx, ptr, exists, redirect): more is a permerror (RFC 7208 §4.6.4).
const MaxSPFLookups = 10

var (
	codeSPFEmpty     = def("spf-empty", "the SPF record is empty; it starts with v=spf1")
	codeSPFChar      = def("spf-char", "the SPF record contains {char}: only printable ASCII is allowed")
	codeSPFVersion   = def("spf-version", "an SPF record starts with v=spf1, not \"{first}\" (RFC 7208 §4.5)")
	codeSPFUnknown   = def("spf-unknown", "\"{term}\" is not an SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists) nor a modifier name=value (RFC 7208 §5)")
	codeSPFNeedsArg  = def("spf-needs-domain", "\"{term}\": {mech} needs a domain, as in {mech}:example.org")
	codeSPFNoArg     = def("spf-no-argument", "\"{term}\": all takes nothing after it")
	codeSPFIP4       = def("spf-ip4", "\"{term}\": {value} is not an IPv4 address or network (e.g. ip4:127.77.1.20 or ip4:192.0.2.0/24)")
	codeSPFIP6       = def("spf-ip6", "\"{term}\": {value} is not an IPv6 address or network (e.g. ip6:2001:db8::/32)")
	codeSPFCIDR      = def("spf-cidr", "\"{term}\": the prefix length /{value} is out of range (IPv4 0 to 32, IPv6 0 to 128)")
	codeSPFDomain    = def("spf-domain", "\"{term}\": \"{value}\" is not a domain name (nor an SPF macro)")
	codeSPFMacro     = def("spf-macro", "\"{term}\": the macro in \"{value}\" is malformed (RFC 7208 §7.1)")
	codeSPFLookups   = def("spf-lookups", "{count} terms need DNS lookups (include, a, mx, ptr, exists, redirect); at most 10 are allowed (RFC 7208 §4.6.4)")
	codeSPFModTwice  = def("spf-modifier-twice", "the modifier {name}= appears twice; it may appear once (RFC 7208 §6)")
	codeSPFAllTwice  = def("spf-all-twice", "\"all\" appears twice; everything after the first all is never looked at (RFC 7208 §5.1)")
	codeSPFQualifier = def("spf-qualifier", "\"{term}\": a modifier has no qualifier (+, -, ~, ?) in front")
)

// CheckSPF checks an SPF record (RFC 7208 §4.5, §5, §6, §12 ABNF).
func CheckSPF(text string) error {
	if strings.TrimSpace(text) == "" {
		return mk(codeSPFEmpty)
	}
	if c := nonASCII(text); c != "" {
		return mk(codeSPFChar, "char", c)
	}
	terms := strings.Fields(text)
	if !strings.EqualFold(terms[0], "v=spf1") {
		return mk(codeSPFVersion, "first", terms[0])
	}
	lookups, alls := 0, 0
	mods := map[string]bool{}
	for _, t := range terms[1:] {
		name, value, isMod := modifier(t)
		if isMod {
			if strings.ContainsAny(name[:1], "+-~?") {
				return mk(codeSPFQualifier, "term", t)
			}
			if !modName(name) {
				return mk(codeSPFUnknown, "term", t)
			}
			lname := strings.ToLower(name)
			if lname == "redirect" || lname == "exp" {
				if mods[lname] {
					return mk(codeSPFModTwice, "name", lname)
				}
				mods[lname] = true
				if err := domainSpec(t, value); err != nil {
					return err
				}
				if lname == "redirect" {
					lookups++
				}
			}
			continue // unknown modifiers are ignored (RFC 7208 §6)
		}
		mech := strings.TrimLeft(t, "+-~?")
		if len(t)-len(mech) > 1 {
			return mk(codeSPFUnknown, "term", t)
		}
		counts, err := mechanism(t, mech)
		if err != nil {
			return err
		}
		if counts {
			lookups++
		}
		if strings.EqualFold(mech, "all") {
			alls++
			if alls > 1 {
				return mk(codeSPFAllTwice)
			}
		}
	}
	if lookups > MaxSPFLookups {
		return mk(codeSPFLookups, "count", strconv.Itoa(lookups))
	}
	return nil
}

// modifier splits name=value when t is a modifier (a name before "=",
// RFC 7208 §12: name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )).
func modifier(t string) (name, value string, ok bool) {
	i := strings.IndexByte(t, '=')
	if i <= 0 {
		return "", "", false
	}
	name = t[:i]
	if strings.ContainsAny(name, ":/") {
		return "", "", false // ip6:…=… or a:…=… is a mechanism gone wrong
	}
	return name, t[i+1:], true
}

func modName(n string) bool {
	if !isAlpha(n[0]) {
		return false
	}
	for _, c := range []byte(n) {
		if !isAlnum(c) && !strings.ContainsRune("-_.", rune(c)) {
			return false
		}
	}
	return true
}

// mechanism checks one mechanism; counts reports whether it makes a DNS
// query (RFC 7208 §4.6.4).
func mechanism(term, mech string) (counts bool, err error) {
	name, arg, hasArg := strings.Cut(mech, ":")
	cidr := ""
	if !hasArg {
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name, cidr = name[:i], name[i:]
		}
	}
	switch strings.ToLower(name) {
	case "all":
		if hasArg || cidr != "" {
			return false, mk(codeSPFNoArg, "term", term)
		}
		return false, nil
	case "include", "exists":
		if !hasArg || arg == "" {
			return false, mk(codeSPFNeedsArg, "term", term, "mech", strings.ToLower(name))
		}
		return true, domainSpec(term, arg)
	case "a", "mx":
		if hasArg {
			if i := strings.IndexByte(arg, '/'); i >= 0 {
				arg, cidr = arg[:i], arg[i:]
			}
			if arg == "" {
				return false, mk(codeSPFNeedsArg, "term", term, "mech", strings.ToLower(name))
			}
			if err := domainSpec(term, arg); err != nil {
				return false, err
			}
		}
		return true, dualCIDR(term, cidr)
	case "ptr":
		if hasArg {
			return true, domainSpec(term, arg)
		}
		return true, nil
	case "ip4":
		if !hasArg || !ipNet(arg, true) {
			return false, cidrOr(term, arg, true)
		}
		return false, nil
	case "ip6":
		if !hasArg || !ipNet(arg, false) {
			return false, cidrOr(term, arg, false)
		}
		return false, nil
	}
	return false, mk(codeSPFUnknown, "term", term)
}

// ipNet reports whether s is an address of the family with an optional
// in-range prefix length.
func ipNet(s string, v4 bool) bool {
	addr, bits, hasBits := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Is4() != v4 || a.Zone() != "" {
		return false
	}
	if !hasBits {
		return true
	}
	n, err := strconv.Atoi(bits)
	return err == nil && n >= 0 && n <= a.BitLen() && bits == strconv.Itoa(n)
}

// cidrOr names what is wrong with an ip4/ip6 argument: the address or
// the prefix length.
func cidrOr(term, arg string, v4 bool) error {
	addr, bits, hasBits := strings.Cut(arg, "/")
	if a, err := netip.ParseAddr(addr); err == nil && a.Is4() == v4 && hasBits {
		return mk(codeSPFCIDR, "term", term, "value", bits)
	}
	if v4 {
		return mk(codeSPFIP4, "term", term, "value", arg)
	}
	return mk(codeSPFIP6, "term", term, "value", arg)
}

// dualCIDR checks a/mx's "/n" (IPv4), "//n" (IPv6) or "/n//m" suffix.
func dualCIDR(term, c string) error {
	if c == "" {
		return nil
	}
	var v4, v6 string
	hasV6 := false
	if strings.HasPrefix(c, "//") {
		v6, hasV6 = c[2:], true
	} else {
		v4, v6, hasV6 = strings.Cut(c[1:], "//")
		if v4 == "" {
			return mk(codeSPFCIDR, "term", term, "value", "")
		}
	}
	check := func(s string, max int) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > max || s != strconv.Itoa(n) {
			return mk(codeSPFCIDR, "term", term, "value", s)
		}
		return nil
	}
	if v4 != "" {
		if err := check(v4, 32); err != nil {
			return err
		}
	}
	if hasV6 {
		return check(v6, 128)
	}
	return nil
}

// domainSpec checks a domain-spec (RFC 7208 §7.1): a macro-string that,
// when it has no macros, must be a domain name.
func domainSpec(term, s string) error {
	if s == "" {
		return mk(codeSPFDomain, "term", term, "value", s)
	}
	if strings.Contains(s, "%") {
		if !macroString(s) {
			return mk(codeSPFMacro, "term", term, "value", s)
		}
		return nil
	}
	h := strings.TrimSuffix(s, ".")
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return mk(codeSPFDomain, "term", term, "value", s)
		}
		for _, c := range []byte(l) {
			if !isAlnum(c) && c != '-' && c != '_' {
				return mk(codeSPFDomain, "term", term, "value", s)
			}
		}
	}
	if len(labels) < 2 {
		return mk(codeSPFDomain, "term", term, "value", s)
	}
	if _, err := strconv.Atoi(labels[len(labels)-1]); err == nil {
		return mk(codeSPFDomain, "term", term, "value", s)
	}
	return nil
}

// macroString checks RFC 7208 §7.1's macro syntax: %{letter[digits][r]
// [delimiters]}, %%, %_ and %-.
func macroString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			if s[i] < 0x21 || s[i] > 0x7e {
				return false
			}
			continue
		}
		if i+1 >= len(s) {
			return false
		}
		switch s[i+1] {
		case '%', '_', '-':
			i++
			continue
		case '{':
		default:
			return false
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return false
		}
		body := s[i+2 : i+end]
		if body == "" || !strings.ContainsRune("slodiphcrtvSLODIPHCRTV", rune(body[0])) {
			return false
		}
		rest := body[1:]
		for rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			rest = rest[1:]
		}
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "r"), "R")
		if strings.Trim(rest, ".-+,/_=") != "" {
			return false
		}
		i += end
	}
	return true
}
