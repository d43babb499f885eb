package dnsrecord

import (
	"net/mail"
	"strconv"
	"strings"
)

var (
	codeDMARCEmpty   = def("dmarc-empty", "the DMARC record is empty; it starts with v=DMARC1; p=")
	codeDMARCChar    = def("dmarc-char", "the DMARC record contains {char}: only printable ASCII is allowed")
	codeDMARCVersion = def("dmarc-version", "a DMARC record starts with v=DMARC1 (RFC 7489 §6.3)")
	codeDMARCNoP     = def("dmarc-no-p", "the policy p= is missing: write p=none, p=quarantine or p=reject (RFC 7489 §6.3)")
	codeDMARCPolicy  = def("dmarc-policy", "{tag}={value}: the policy is none, quarantine or reject")
	codeDMARCPct     = def("dmarc-pct", "pct={value}: a whole number from 0 to 100")
	codeDMARCAlign   = def("dmarc-align", "{tag}={value}: alignment is r (relaxed) or s (strict)")
	codeDMARCURI     = def("dmarc-uri", "{tag}: \"{value}\" is not a mailto: address, as in mailto:dmarc@example.org (RFC 7489 §6.2)")
	codeDMARCFo      = def("dmarc-fo", "fo={value}: the options are 0, 1, d and s, separated by colons")
	codeDMARCRi      = def("dmarc-ri", "ri={value}: the report interval is a whole number of seconds")
	codeDMARCRf      = def("dmarc-rf", "rf={value}: the report format is afrf")
)

// CheckDMARC checks a DMARC policy record (RFC 7489 §6.3, §6.4).
func CheckDMARC(text string) error {
	if strings.TrimSpace(text) == "" {
		return mk(codeDMARCEmpty)
	}
	if c := nonASCII(text); c != "" {
		return mk(codeDMARCChar, "char", c)
	}
	tags, err := tagList(text, "DMARC")
	if err != nil {
		return err
	}
	if len(tags) == 0 || tags[0].name != "v" || tags[0].value != "DMARC1" {
		return mk(codeDMARCVersion)
	}
	hasP := false
	for _, t := range tags[1:] {
		v := t.value
		switch t.name {
		case "v":
			return mk(codeDMARCVersion)
		case "p", "sp":
			if v != "none" && v != "quarantine" && v != "reject" {
				return mk(codeDMARCPolicy, "tag", t.name, "value", v)
			}
			hasP = hasP || t.name == "p"
		case "pct":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100 || v != strconv.Itoa(n) {
				return mk(codeDMARCPct, "value", v)
			}
		case "adkim", "aspf":
			if v != "r" && v != "s" {
				return mk(codeDMARCAlign, "tag", t.name, "value", v)
			}
		case "rua", "ruf":
			for _, u := range strings.Split(v, ",") {
				if !mailtoURI(strings.TrimSpace(u)) {
					return mk(codeDMARCURI, "tag", t.name, "value", strings.TrimSpace(u))
				}
			}
		case "fo":
			for _, o := range strings.Split(v, ":") {
				if o = strings.TrimSpace(o); o != "0" && o != "1" && o != "d" && o != "s" {
					return mk(codeDMARCFo, "value", v)
				}
			}
		case "ri":
			if _, err := strconv.ParseUint(v, 10, 32); err != nil {
				return mk(codeDMARCRi, "value", v)
			}
		case "rf":
			for _, f := range strings.Split(v, ":") {
				if !strings.EqualFold(strings.TrimSpace(f), "afrf") {
					return mk(codeDMARCRf, "value", v)
				}
			}
		} // unknown tags are ignored (§6.3)
	}
	if !hasP {
		return mk(codeDMARCNoP)
	}
	return nil
}

// mailtoURI: "mailto:" and an address, optionally "!" and a size limit
// such as 10m (RFC 7489 §6.2).
func mailtoURI(u string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(u), "mailto:")
	if !ok {
		return false
	}
	addr := u[len(u)-len(rest):]
	if i := strings.LastIndexByte(addr, '!'); i >= 0 {
		size := strings.TrimRight(addr[i+1:], "kmgtKMGT")
		if _, err := strconv.ParseUint(size, 10, 64); err != nil {
			return false
		}
		addr = addr[:i]
	}
	a, err := mail.ParseAddress(addr)
	return err == nil && a.Address == addr && strings.Contains(addr, "@")
}
