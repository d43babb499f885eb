package world

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"
)

// describeDNS renders a DNS datagram as one readable line with names as
// dig prints them (fully qualified, with the final dot): "QUERY MX
// example.net." and "ANSWER MX example.net. → 10 mx.example.net."
// (RFC 1035 §4.1).
func describeDNS(b []byte) string {
	var m dns.Msg
	if err := m.Unpack(b); err != nil {
		return fmt.Sprintf("DNS (%d bytes, not parsable)", len(b))
	}
	q := "?"
	if len(m.Question) > 0 {
		q = dns.TypeToString[m.Question[0].Qtype] + " " + m.Question[0].Name
	}
	if !m.Response {
		return "QUERY " + q
	}
	if m.Rcode != dns.RcodeSuccess {
		return "ANSWER " + q + " → " + dns.RcodeToString[m.Rcode]
	}
	var parts []string
	for _, rr := range m.Answer {
		parts = append(parts, rrData(rr))
	}
	if len(parts) == 0 {
		parts = append(parts, "(no records)")
	}
	return "ANSWER " + q + " → " + strings.Join(parts, ", ")
}

func rrData(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.MX:
		return fmt.Sprintf("%d %s", v.Preference, v.Mx)
	case *dns.A:
		return v.A.String()
	case *dns.TXT:
		return `"` + strings.Join(v.Txt, "") + `"`
	}
	h := rr.Header().String()
	return strings.TrimSpace(strings.TrimPrefix(rr.String(), h))
}
