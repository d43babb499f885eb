package worldspec

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Values of Policy.StartTLSOn25: what the MX on port 25 does about TLS
// (RFC 3207). Left out: offered.
const (
	// TLSOffered: EHLO lists STARTTLS; a sender may use it or not
	// (Postfix's smtpd_tls_security_level=may).
	TLSOffered = "offered"
	// TLSRequired: MAIL before STARTTLS gets "530 5.7.0 Must issue a
	// STARTTLS command first" (smtpd_tls_security_level=encrypt).
	TLSRequired = "required"
	// TLSOff: no STARTTLS at all; senders deliver in the clear.
	TLSOff = "off"
)

// Values of Policy.OutgoingTLS: what the provider's sending MTA does when
// an MX offers no STARTTLS. Left out: opportunistic.
const (
	// TLSOpportunistic: TLS when offered, else in the clear (RFC 7435;
	// Postfix's smtp_tls_security_level=may).
	TLSOpportunistic = "opportunistic"
	// TLSRequired (above): no TLS, no delivery; the message is deferred
	// (smtp_tls_security_level=encrypt).
)

// Servers a provider can take down (Policy.Down): the MX on 25, the MSA
// on 587 and 465, POP3 and IMAP on 110, 995, 143 and 993.
const (
	ServerMX         = "mx"
	ServerSubmission = "submission"
	ServerMailbox    = "mailbox"
)

// Servers lists the servers Policy.Down may name, in order.
var Servers = []string{ServerMX, ServerSubmission, ServerMailbox}

// DefaultGreylistDelay is how long a greylisted sender must wait before
// its retry is accepted (postgrey's --delay is 300 s; Maillab's lessons
// use a minute).
const DefaultGreylistDelay = 60 * time.Second

// DefaultQueueLifetime is how long a sending MTA keeps retrying a
// deferred message (Postfix's maximal_queue_lifetime, 5d).
const DefaultQueueLifetime = 5 * 24 * time.Hour

// Bounds on the server policy.
const (
	MaxRelayNetworks = 100
	MaxGreylistDelay = 24 * time.Hour
	// MinQueueLifetime and MaxQueueLifetime bound queue-lifetime (Postfix
	// allows 0, which bounces at the first deferral; 1 minute keeps at
	// least one retry).
	MinQueueLifetime = time.Minute
	MaxQueueLifetime = 100 * 24 * time.Hour
)

// Lifetime is how long the sending MTA keeps a deferred message.
func (p Policy) Lifetime() time.Duration {
	if p.QueueLifetime == nil {
		return DefaultQueueLifetime
	}
	return time.Duration(*p.QueueLifetime)
}

// StartTLS is the MX's STARTTLS mode, TLSOffered when left out.
func (p Policy) StartTLS() string {
	if p.StartTLSOn25 == "" {
		return TLSOffered
	}
	return p.StartTLSOn25
}

// RequireOutgoingTLS reports whether the sending MTA defers rather than
// deliver in the clear.
func (p Policy) RequireOutgoingTLS() bool { return p.OutgoingTLS == TLSRequired }

// GreylistWait is the minimum delay before a greylisted retry is
// accepted.
func (p Policy) GreylistWait() time.Duration {
	if p.GreylistDelay == nil {
		return DefaultGreylistDelay
	}
	return time.Duration(*p.GreylistDelay)
}

// Relays parses RelayNetworks (a bare address is one host); entries that
// do not parse are left out (Validate reports them).
func (p Policy) Relays() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range p.RelayNetworks {
		if pr, ok := ParseNetwork(s); ok {
			out = append(out, pr)
		}
	}
	return out
}

// ParseNetwork reads a CIDR network (192.0.2.0/24, 2001:db8::/32) or a
// single address, as Postfix's mynetworks does.
func ParseNetwork(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if pr, err := netip.ParsePrefix(s); err == nil {
		return pr.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// IsDown reports whether server (ServerMX, …) is listed in Down.
func (p Policy) IsDown(server string) bool { return slices.Contains(p.Down, server) }

// validateServerPolicy checks the keys of policy.go.
func validateServerPolicy(p *problems, at string, pol Policy) {
	if v := pol.StartTLSOn25; v != "" && v != TLSOffered && v != TLSRequired && v != TLSOff {
		p.add(at+".starttls-on-25", "%q: write offered, required or off", v)
	}
	if v := pol.OutgoingTLS; v != "" && v != TLSOpportunistic && v != TLSRequired {
		p.add(at+".outgoing-tls", "%q: write opportunistic or required", v)
	}
	if d := pol.GreylistDelay; d != nil {
		switch {
		case *d < 0 || time.Duration(*d) > MaxGreylistDelay:
			p.add(at+".greylist-delay", "%s is outside 0s to 24h", *d)
		case !pol.Greylisting:
			p.add(at+".greylist-delay", "is set but greylisting is off (write greylisting: true)")
		}
	}
	if d := pol.QueueLifetime; d != nil && (time.Duration(*d) < MinQueueLifetime || time.Duration(*d) > MaxQueueLifetime) {
		p.add(at+".queue-lifetime", "%s is outside 1m to 100d", *d)
	}
	if n := len(pol.RelayNetworks); n > MaxRelayNetworks {
		p.add(at+".relay-networks", "%d networks; at most %d", n, MaxRelayNetworks)
	} else {
		for i, s := range pol.RelayNetworks {
			if _, ok := ParseNetwork(s); !ok {
				p.add(fmt.Sprintf("%s.relay-networks[%d]", at, i),
					"%q is not a network (write 192.0.2.0/24, 2001:db8::/32 or one address)", s)
			}
		}
	}
	seen := map[string]bool{}
	for i, s := range pol.Down {
		switch {
		case !slices.Contains(Servers, s):
			p.add(fmt.Sprintf("%s.down[%d]", at, i), "%q is not a server (write %s)", s, strings.Join(Servers, ", "))
		case seen[s]:
			p.add(fmt.Sprintf("%s.down[%d]", at, i), "%s is listed twice", s)
		}
		seen[s] = true
	}
}

// ValidateAccountQuota checks an account's own quota on its own (an
// account outside the world file, the classroom's), as Validate would.
func ValidateAccountQuota(at string, a Account) error {
	p := &problems{}
	validateAccountQuota(p, at, a)
	return errors.Join(p.errs...)
}

// validateAccountQuota checks an account's own quota.
func validateAccountQuota(p *problems, at string, a Account) {
	if q := a.Quota; q > 0 && q < MinMailboxQuota {
		p.add(at+".quota", "%s is less than %s; write none for no limit", q, FormatSize(MinMailboxQuota))
	} else if q < 0 && q != Unlimited {
		p.add(at+".quota", "%s is not a size", q)
	}
}

// QuotaOf is the storage quota of account a at provider pr in octets for
// the store: its own, else the provider's; 0 keeps the store's default,
// a negative number means no limit.
func QuotaOf(pr Provider, a Account) int64 {
	if a.Quota != 0 {
		return int64(a.Quota)
	}
	return int64(pr.Policy.MailboxQuota)
}
