package worldspec

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// What this version of Maillab can run: the address plan has hosts for
// these domains and machines for these devices, no others.
var (
	// KnownDomains must all be present; OptionalDomains may be (the third
	// provider, example.com, on demand).
	KnownDomains    = []string{"example.org", "example.net"}
	OptionalDomains = []string{ThirdDomain}
	// KnownDevices are the machines a device can be; RequiredDevices are
	// the ones every scenario drives.
	KnownDevices    = []string{"alice-laptop", "bob-laptop", "bob-phone", "carol-laptop", "dave-laptop", ThirdDevice().Name}
	RequiredDevices = []string{"alice-laptop", "bob-laptop", "bob-phone"}
)

// Bounds on a world: a file that exceeds them is refused, not run.
const (
	MaxAccounts        = 100 // per provider
	MaxMessages        = 1000
	MaxMessageBytes    = 1 << 20
	MaxPasswordLen     = 128
	MinMXSizeLimit     = 1000 // a header and a few lines
	MaxMXSizeLimit     = 1 << 30
	MinMailboxQuota    = 1 << 10
	MaxConnsLimit      = 10000
	MaxTimeout         = 24 * time.Hour
	MaxAuthFailureWait = 30 * time.Second
)

// Validate reports every problem of s, each a *FieldError naming the
// field (errors.Join); nil when a world can be built from s.
func (s Spec) Validate() error { return s.validate(nil) }

type problems struct {
	lines map[string]int
	errs  []error
}

func (p *problems) add(path, format string, args ...any) {
	if len(p.errs) == 20 {
		p.errs = append(p.errs, &FieldError{Msg: "… and more; fix these first"})
	}
	if len(p.errs) > 20 {
		return
	}
	p.errs = append(p.errs, &FieldError{Path: path, Line: p.line(path), Msg: fmt.Sprintf(format, args...)})
}

// line finds path's line, or its nearest parent's.
func (p *problems) line(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func (s Spec) validate(lines map[string]int) error {
	p := &problems{lines: lines}
	if s.Version != Version {
		p.add(VersionKey, "must be %d", Version)
	}
	if utf8.RuneCountInString(s.Title) > 200 {
		p.add("title", "is longer than 200 characters")
	}
	accounts := s.validateProviders(p)
	s.validateDevices(p, accounts)
	s.validateLimits(p)
	s.validateMailboxes(p, accounts)
	return errors.Join(p.errs...)
}

func (s Spec) validateProviders(p *problems) map[string]string {
	accounts := map[string]string{} // lower-case address → its path
	seen := map[string]string{}
	if len(s.Providers) == 0 {
		p.add("providers", "no provider: a world needs %s", strings.Join(KnownDomains, " and "))
	}
	for i, pr := range s.Providers {
		at := fmt.Sprintf("providers[%d]", i)
		d := pr.Domain
		switch {
		case d == "":
			p.add(at+".domain", "is missing")
		case !slices.Contains(KnownDomains, d) && !slices.Contains(OptionalDomains, d):
			p.add(at+".domain", "%q is not a provider this Maillab can run (it runs %s, and %s if asked)", d,
				strings.Join(KnownDomains, " and "), strings.Join(OptionalDomains, ", "))
		case seen[d] != "":
			p.add(at+".domain", "%s is listed twice (first as %s)", d, seen[d])
		default:
			seen[d] = at
		}
		if pr.Hosts != nil && d != "" {
			std := StandardHosts(d)
			for _, h := range []struct{ key, got, want, role string }{
				{"submission", pr.Hosts.Submission, std.Submission, "MSA"},
				{"mx", pr.Hosts.MX, std.MX, "MX"},
				{"mailbox", pr.Hosts.Mailbox, std.Mailbox, "POP3/IMAP server"},
				{"delivery", pr.Hosts.Delivery, std.Delivery, "MDA"},
			} {
				if h.got != h.want {
					p.add(at+".hosts."+h.key, "%q: this Maillab names the %s of %s %s (servers cannot be renamed yet)",
						h.got, h.role, d, h.want)
				}
			}
		}
		if len(pr.Accounts) > MaxAccounts {
			p.add(at+".accounts", "%d accounts; a provider may have at most %d", len(pr.Accounts), MaxAccounts)
			for j, a := range pr.Accounts { // known, so devices naming one get no error of their own
				accounts[strings.ToLower(a.Address)] = fmt.Sprintf("%s.accounts[%d]", at, j)
			}
			continue
		}
		for j, a := range pr.Accounts {
			validateAccount(p, fmt.Sprintf("%s.accounts[%d]", at, j), d, a, accounts)
		}
		validatePolicy(p, at+".policy", pr.Policy)
		validateDNS(p, at+".dns", d, pr.DNS)
	}
	for _, d := range KnownDomains {
		if seen[d] == "" && len(s.Providers) > 0 {
			p.add("providers", "%s is missing: this Maillab runs both %s", d, strings.Join(KnownDomains, " and "))
		}
	}
	return accounts
}

func validateAccount(p *problems, at, domain string, a Account, accounts map[string]string) {
	addr := a.Address
	parsed, err := mail.ParseAddress(addr)
	if addr != "" && accounts[strings.ToLower(addr)] == "" {
		// Known even if wrong: a device naming it gets no second error.
		defer func() { accounts[strings.ToLower(addr)] = at }()
	}
	switch {
	case addr == "":
		p.add(at+".address", "is missing")
	case err != nil || parsed.Name != "" || parsed.Address != addr || strings.ContainsAny(addr, " <>"):
		p.add(at+".address", "%q is not an e-mail address (write name@%s)", addr, domain)
	case domain != "" && !strings.EqualFold(addr[strings.LastIndexByte(addr, '@')+1:], domain):
		p.add(at+".address", "%q is not at %s, the provider it is listed under", addr, domain)
	case accounts[strings.ToLower(addr)] != "":
		p.add(at+".address", "%s is listed twice (first at %s)", addr, accounts[strings.ToLower(addr)])
	}
	switch pw := a.Password; {
	case pw == "":
		p.add(at+".password", "is missing")
	case utf8.RuneCountInString(pw) > MaxPasswordLen:
		p.add(at+".password", "is longer than %d characters", MaxPasswordLen)
	case !utf8.ValidString(pw) || strings.ContainsFunc(pw, unicode.IsControl):
		p.add(at+".password", "contains a control character")
	case strings.TrimSpace(pw) != pw:
		p.add(at+".password", "starts or ends with a space, which clients drop")
	}
	validateAccountQuota(p, at, a)
}

// Validate reports every problem of a provider's policy on its own (a
// provider outside the world file, the classroom's), each a *FieldError
// whose path starts with at.
func (pol Policy) Validate(at string) error {
	p := &problems{}
	validatePolicy(p, at, pol)
	return errors.Join(p.errs...)
}

func validatePolicy(p *problems, at string, pol Policy) {
	switch l := pol.MXSizeLimit; {
	case l == 0:
	case l == Unlimited:
		p.add(at+".mx-size-limit", "cannot be none: every MX announces a SIZE")
	case l < MinMXSizeLimit || l > MaxMXSizeLimit:
		p.add(at+".mx-size-limit", "%s is outside %dB to %s", l, MinMXSizeLimit, FormatSize(MaxMXSizeLimit))
	}
	if q := pol.MailboxQuota; q > 0 && q < MinMailboxQuota {
		p.add(at+".mailbox-quota", "%s is less than %s; write none for no limit", q, FormatSize(MinMailboxQuota))
	}
	validateServerPolicy(p, at, pol)
}

func (s Spec) validateDevices(p *problems, accounts map[string]string) {
	seen := map[string]string{}
	for i, d := range s.Devices {
		at := fmt.Sprintf("devices[%d]", i)
		switch {
		case d.Name == "":
			p.add(at+".name", "is missing")
		case !slices.Contains(KnownDevices, d.Name):
			p.add(at+".name", "%q is not a device this Maillab has (it has %s)", d.Name, strings.Join(KnownDevices, ", "))
		case seen[d.Name] != "":
			p.add(at+".name", "%s is listed twice (first as %s)", d.Name, seen[d.Name])
		default:
			seen[d.Name] = at
		}
		switch {
		case d.Account == "":
			p.add(at+".account", "is missing")
		case accounts[strings.ToLower(d.Account)] == "":
			p.add(at+".account", "%q is not an account of any provider", d.Account)
		}
		if d.Protocol != POP3 && d.Protocol != IMAP {
			p.add(at+".protocol", "%q: write pop3 or imap", d.Protocol)
		}
		if d.Security != StartTLS && d.Security != Implicit && d.Security != Plain {
			p.add(at+".security", "%q: write starttls, implicit or plain", d.Security)
		}
		if d.LeaveOnServer != nil && d.Protocol == IMAP {
			p.add(at+".leave-on-server", "only a POP3 client has this setting (IMAP leaves mail on the server anyway)")
		}
		switch n := d.DeleteAfterDays; {
		case n < 0 || n > MaxDeleteAfterDays:
			p.add(at+".delete-after-days", "%d is outside 0 to %d", n, MaxDeleteAfterDays)
		case n > 0 && (d.Protocol != POP3 || d.LeaveOnServer == nil || !*d.LeaveOnServer):
			p.add(at+".delete-after-days", "only a POP3 client that leaves mail on the server has this setting (write leave-on-server: true)")
		}
	}
	var missing []string
	for _, name := range RequiredDevices {
		if seen[name] == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		p.add("devices", "%s missing: the scenarios use %s", strings.Join(missing, ", "), strings.Join(RequiredDevices, ", "))
	}
}

func (s Spec) validateLimits(p *problems) {
	l := s.Limits
	if n := l.MaxConns; n != nil && (*n < 1 || *n > MaxConnsLimit) {
		p.add("limits.max-conns", "%d is outside 1 to %d", *n, MaxConnsLimit)
	}
	if n := l.MaxConnsPerAddr; n != nil && (*n < 1 || *n > MaxConnsLimit) {
		p.add("limits.max-conns-per-addr", "%d is outside 1 to %d", *n, MaxConnsLimit)
	}
	if d := l.LoginTimeout; d != nil && (*d <= 0 || time.Duration(*d) > MaxTimeout) {
		p.add("limits.login-timeout", "%s is outside 1ms to 24h", *d)
	}
	if d := l.StressTimeout; d != nil && (*d <= 0 || time.Duration(*d) > MaxTimeout) {
		p.add("limits.stress-timeout", "%s is outside 1ms to 24h", *d)
	}
	if d := l.SessionTimeout; d != nil && (*d < 0 || time.Duration(*d) > MaxTimeout) {
		p.add("limits.session-timeout", "%s is outside 0s to 24h", *d)
	}
	if d := l.AuthFailureDelay; d != nil && (*d < 0 || time.Duration(*d) > MaxAuthFailureWait) {
		p.add("limits.auth-failure-delay", "%s is outside 0s to 30s", *d)
	}
}

func (s Spec) validateMailboxes(p *problems, accounts map[string]string) {
	total := 0
	for i, mb := range s.Mailboxes {
		at := fmt.Sprintf("mailboxes[%d]", i)
		switch {
		case mb.Account == "":
			p.add(at+".account", "is missing")
		case accounts[strings.ToLower(mb.Account)] == "":
			p.add(at+".account", "%q is not an account of any provider", mb.Account)
		}
		if f := mb.Folder; f != "" && (strings.HasPrefix(f, "/") || strings.HasSuffix(f, "/") ||
			strings.Contains(f, "//") || strings.ContainsAny(f, "*%") || strings.ContainsFunc(f, unicode.IsControl)) {
			p.add(at+".folder", "%q is not a folder name IMAP can show (no *, %%, empty levels or control characters)", f)
		}
		total += len(mb.Messages)
		if total > MaxMessages {
			p.add(at+".messages", "more than %d messages in the world", MaxMessages)
			return
		}
		for j, m := range mb.Messages {
			validateMessage(p, fmt.Sprintf("%s.messages[%d]", at, j), m)
		}
	}
}

var systemFlags = []string{`\Seen`, `\Answered`, `\Flagged`, `\Deleted`, `\Draft`}

func validateMessage(p *problems, at string, m Message) {
	switch {
	case strings.TrimSpace(m.Raw) == "":
		p.add(at+".raw", "is missing")
	case len(m.Raw) > MaxMessageBytes:
		p.add(at+".raw", "is larger than %s", FormatSize(MaxMessageBytes))
	default:
		msg, err := mail.ReadMessage(strings.NewReader(m.Raw))
		if err != nil {
			p.add(at+".raw", "is not an RFC 5322 message (header fields, an empty line, the body): %v", err)
		} else if len(msg.Header) == 0 {
			p.add(at+".raw", "has no header fields")
		}
	}
	for k, f := range m.Flags {
		fat := fmt.Sprintf("%s.flags[%d]", at, k)
		if strings.HasPrefix(f, `\`) {
			if !slices.ContainsFunc(systemFlags, func(sf string) bool { return strings.EqualFold(sf, f) }) {
				p.add(fat, "%q is not a system flag (%s)", f, strings.Join(systemFlags, " "))
			}
			continue
		}
		if f == "" || strings.ContainsFunc(f, func(r rune) bool {
			return r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r)
		}) {
			p.add(fat, "%q is not a keyword IMAP can store (no spaces, none of ( ) { %% * \" \\ ])", f)
		}
	}
}
