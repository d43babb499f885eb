package explain

import (
	"strings"
)

// explainDNS explains the one-line rendering of a DNS datagram (see
// simulator/world/dnsdescribe.go): "QUERY MX example.net.", "ANSWER MX
// example.net. → 10 mx.example.net.", "ANSWER A x. → NXDOMAIN".
func explainDNS(text string) Explanation {
	kind, rest := splitVerb(text)
	switch kind {
	case "QUERY":
		qtype, name := splitVerb(rest)
		return dnsQuery(qtype, trimDot(name))
	case "ANSWER":
		question, data, ok := strings.Cut(rest, "→")
		if !ok {
			break
		}
		qtype, name := splitVerb(strings.TrimSpace(question))
		return dnsAnswer(qtype, trimDot(name), strings.TrimSpace(data))
	}
	return ex("generic.dns").generic()
}

func dnsQuery(qtype, name string) Explanation {
	lower := strings.ToLower(name)
	switch qtype {
	case "MX", "A", "AAAA", "PTR":
		return ex("dns.query."+strings.ToLower(qtype), "name", name)
	case "TXT":
		switch {
		case strings.HasPrefix(lower, "_dmarc."):
			return ex("dns.query.txt.dmarc", "name", name)
		case strings.Contains(lower, "._domainkey."):
			return ex("dns.query.txt.dkim", "name", name)
		case strings.Count(lower, ".") == 1:
			// A TXT question at a mail domain itself: an SPF check.
			return ex("dns.query.txt.spf", "name", name)
		}
		return ex("dns.query.txt", "name", name)
	}
	return ex("dns.query.other", "type", qtype, "name", name)
}

// rcodes are the RCODE names of RFC 1035 §4.1.1 and later RFCs, as the
// renderer prints them.
var rcodes = map[string]bool{"FORMERR": true, "SERVFAIL": true, "NOTIMP": true, "REFUSED": true,
	"YXDOMAIN": true, "YXRRSET": true, "NXRRSET": true, "NOTAUTH": true, "NOTZONE": true}

func dnsAnswer(qtype, name, data string) Explanation {
	switch {
	case data == "NXDOMAIN":
		return ex("dns.answer.nxdomain", "name", name, "type", qtype)
	case rcodes[data]:
		return ex("dns.answer.error", "name", name, "rcode", data)
	case data == "(no records)":
		return ex("dns.answer.nodata", "name", name, "type", qtype)
	}
	switch qtype {
	case "MX":
		if data == "0 ." {
			return ex("dns.answer.mx.null", "name", name)
		}
		return ex("dns.answer.mx", "name", name, "records", mxRecords(data))
	case "A", "AAAA", "PTR":
		return ex("dns.answer."+strings.ToLower(qtype), "name", name, "records", data)
	case "TXT":
		return txtAnswer(name, data)
	}
	return ex("dns.answer.other", "name", name, "type", qtype, "records", data)
}

// txtAnswer tells SPF, DKIM and DMARC records apart by their version tag.
func txtAnswer(name, data string) Explanation {
	lower := strings.ToLower(strings.Trim(data, `"`))
	switch {
	case strings.HasPrefix(lower, "v=spf1"):
		return ex("dns.answer.spf", "name", name, "records", data)
	case strings.HasPrefix(lower, "v=dmarc1"):
		return ex("dns.answer.dmarc", "name", name, "records", data)
	case strings.HasPrefix(lower, "v=dkim1") || strings.Contains(strings.ToLower(name), "._domainkey."):
		return ex("dns.answer.dkim", "name", name, "records", data)
	}
	return ex("dns.answer.txt", "name", name, "records", data)
}

// trimDot drops the final dot of a fully qualified name for the text
// ("example.net." reads "example.net"); the transcript line keeps it.
func trimDot(name string) string {
	if len(name) > 1 {
		return strings.TrimSuffix(name, ".")
	}
	return name
}

// mxRecords renders "10 mx.example.net., 20 b." as "10 mx.example.net, 20 b".
func mxRecords(data string) string {
	parts := strings.Split(data, ", ")
	for i, p := range parts {
		parts[i] = trimDot(p)
	}
	return strings.Join(parts, ", ")
}
