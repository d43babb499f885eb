// Package worldspec describes a mail world declaratively: its providers
// with their accounts and server policy, the devices and whose mail they
// read, the servers' limits and, optionally, mail already in the
// mailboxes. A Spec is what a world file holds (Load, Save: YAML with the
// version line "maillab-world: 1"); package world builds a running world
// from one.
//
// Compatibility: a later Maillab adds fields (DNS records the student
// edits, greylisting, a third provider, challenges) as optional keys, so
// every version-1 file stays valid and means the same. Version 2 is
// reserved for a change that would make an old file mean something else.
package worldspec

import (
	"slices"
	"time"

	"maillab/simulator/limits"
	"maillab/simulator/mx"
	"maillab/simulator/netmap"
	"maillab/simulator/store"
)

// Version is the world-file format this Maillab reads and writes.
const Version = 1

// VersionKey is the first key of every world file.
const VersionKey = "maillab-world"

// DefaultAuthFailureDelay is Dovecot's auth_failure_delay: a guesser gets
// one try per 2 s and three per connection.
const DefaultAuthFailureDelay = 2 * time.Second

// Spec is one world.
type Spec struct {
	Version int `yaml:"maillab-world"`
	// Title and Notes are for people: what this world is for.
	Title string `yaml:"title,omitempty"`
	Notes string `yaml:"notes,omitempty"`
	// Providers are the mail providers, each with its own servers.
	Providers []Provider `yaml:"providers"`
	// Devices are the mail clients on the users' machines.
	Devices []Device `yaml:"devices"`
	// Limits are every server's connection limits and timeouts.
	Limits Limits `yaml:"limits,omitempty"`
	// Mailboxes, when present, is mail already stored when the world starts.
	Mailboxes []Mailbox `yaml:"mailboxes,omitempty"`
}

// Provider is one organisation's mail service: MSA, MX, MDA, POP3 and IMAP.
type Provider struct {
	Domain string `yaml:"domain"`
	// Hosts names the provider's servers; left out, they are the
	// standard names (Hosts.For). This version cannot rename them.
	Hosts    *Hosts    `yaml:"hosts,omitempty"`
	Accounts []Account `yaml:"accounts"`
	Policy   Policy    `yaml:"policy,omitempty"`
	// DNS is the domain's zone (left out: DefaultDNS).
	DNS *DNS `yaml:"dns,omitempty"`
}

// Hosts are a provider's server names.
type Hosts struct {
	Submission string `yaml:"submission"` // MSA on 587 and 465
	MX         string `yaml:"mx"`         // MX on 25
	Mailbox    string `yaml:"mailbox"`    // POP3 and IMAP
	Delivery   string `yaml:"delivery"`   // MDA (LMTP)
}

// StandardHosts are the names Maillab gives domain's servers.
func StandardHosts(domain string) Hosts {
	return Hosts{Submission: "smtp." + domain, MX: "mx." + domain, Mailbox: "mail." + domain, Delivery: "mda." + domain}
}

// Account is one mailbox login.
type Account struct {
	Address  string `yaml:"address"`
	Password string `yaml:"password"`
	// Quota is this account's storage; 0: the provider's mailbox-quota,
	// Unlimited: none.
	Quota Size `yaml:"quota,omitempty"`
}

// Policy is what a provider's servers allow.
type Policy struct {
	// PlaintextAuth lets the MSA on 587, POP3 on 110 and IMAP on 143 take
	// a password before TLS (Postfix and Dovecot refuse by default).
	PlaintextAuth bool `yaml:"plaintext-auth"`
	// AuthChecks: the MX checks SPF, DKIM and DMARC (left out: on).
	AuthChecks *bool `yaml:"auth-checks,omitempty"`
	// MXSizeLimit is the SIZE the MX advertises (RFC 1870); 0: the default.
	MXSizeLimit Size `yaml:"mx-size-limit,omitempty"`
	// MailboxQuota is every account's storage on this provider; 0: the
	// default, Unlimited: none.
	MailboxQuota Size `yaml:"mailbox-quota,omitempty"`

	// Server policy of the MX and the servers' state (policy.go); each
	// left out keeps the behaviour described there.
	StartTLSOn25  string    `yaml:"starttls-on-25,omitempty"`
	OutgoingTLS   string    `yaml:"outgoing-tls,omitempty"`
	Greylisting   bool      `yaml:"greylisting,omitempty"`
	GreylistDelay *Duration `yaml:"greylist-delay,omitempty"`
	// QueueLifetime is how long the sending MTA keeps a deferred message
	// before it returns it to the sender (Postfix's
	// maximal_queue_lifetime); left out: DefaultQueueLifetime.
	QueueLifetime *Duration `yaml:"queue-lifetime,omitempty"`
	RelayNetworks []string  `yaml:"relay-networks,omitempty"`
	Down          []string  `yaml:"down,omitempty"`
}

// Checks reports whether the MX checks SPF, DKIM and DMARC.
func (p Policy) Checks() bool { return p.AuthChecks == nil || *p.AuthChecks }

// Fetch protocols and connection security of a device.
const (
	POP3 = "pop3"
	IMAP = "imap"

	StartTLS = "starttls" // upgrade on 587, 110, 143
	Implicit = "implicit" // TLS from the first byte on 465, 995, 993
	Plain    = "plain"    // no TLS at all
)

// Device is one mail client on one machine.
type Device struct {
	// Name is the machine's node: alice-laptop, bob-laptop, bob-phone,
	// carol-laptop, dave-laptop or (with example.com) erin-laptop.
	Name string `yaml:"name"`
	// Account is the address whose mail the device sends and reads.
	Account string `yaml:"account"`
	// Protocol is how it reads mail (pop3 or imap), Security how it
	// connects (starttls, implicit or plain).
	Protocol string `yaml:"protocol"`
	Security string `yaml:"security"`
	// LeaveOnServer: a POP3 client keeps a copy on the server (left out:
	// it deletes what it downloaded). Only for pop3.
	LeaveOnServer *bool `yaml:"leave-on-server,omitempty"`
	// DeleteAfterDays: a POP3 client that leaves mail on the server
	// deletes (DELE) what it downloaded at least this many days ago, by
	// the world's clock, at each check (Thunderbird's "Delete from server
	// after N days"); 0 or left out: never.
	DeleteAfterDays int `yaml:"delete-after-days,omitempty"`
}

// MaxDeleteAfterDays bounds Device.DeleteAfterDays (ten years).
const MaxDeleteAfterDays = 3650

// FetchPort is the port a device with this protocol and security
// connects to: 995/993 for implicit TLS, else 110/143 (STARTTLS or plain).
func FetchPort(protocol, security string) int {
	switch {
	case protocol == IMAP && security == Implicit:
		return 993
	case protocol == IMAP:
		return 143
	case security == Implicit:
		return 995
	}
	return 110
}

// Limits are the servers' connection limits; a field left out keeps the
// default.
type Limits struct {
	MaxConns        *int `yaml:"max-conns,omitempty"`
	MaxConnsPerAddr *int `yaml:"max-conns-per-addr,omitempty"`
	// LoginTimeout: how long a server waits for each line before login.
	LoginTimeout *Duration `yaml:"login-timeout,omitempty"`
	// StressTimeout replaces it while a server holds over 80% of its
	// connections (Postfix's smtpd_timeout under stress).
	StressTimeout *Duration `yaml:"stress-timeout,omitempty"`
	// SessionTimeout replaces each protocol's own idle limit after login
	// (left out: SMTP 5 min, POP3 10 min, IMAP 30 min).
	SessionTimeout *Duration `yaml:"session-timeout,omitempty"`
	// AuthFailureDelay: the pause before "wrong password" (0s: none).
	AuthFailureDelay *Duration `yaml:"auth-failure-delay,omitempty"`
}

// Mailbox is mail stored in one folder of one account at the start.
type Mailbox struct {
	Account  string    `yaml:"account"`
	Folder   string    `yaml:"folder,omitempty"` // left out: INBOX
	Messages []Message `yaml:"messages"`
}

// Message is one stored message.
type Message struct {
	Flags []string `yaml:"flags,omitempty"` // \Seen, \Flagged, $Label1 …
	// Date is when the server received it (left out: when the world starts).
	Date time.Time `yaml:"date,omitempty"`
	// Raw is the whole message as RFC 5322 text: header fields, an empty
	// line, the body. Line ends may be LF; the store gets CRLF.
	Raw string `yaml:"raw"`
}

// FolderName is the mailbox's folder, INBOX when left out.
func (m Mailbox) FolderName() string {
	if m.Folder == "" {
		return store.Inbox
	}
	return m.Folder
}

// Default is the world of product.md: Alice at example.org, Bob (and
// Carol and Dave, who get the copies of the Bcc lesson) at example.net,
// Alice's laptop and Bob's laptop and phone, every policy and limit at
// its default, written out so a saved file shows every knob.
func Default() Spec {
	on := true
	leave := false
	maxConns, perAddr := limits.DefaultMaxConns, limits.DefaultPerAddr
	login, delay := Duration(limits.DefaultLoginTimeout), Duration(DefaultAuthFailureDelay)
	stress := Duration(limits.DefaultStressTimeout)
	policy := func() Policy {
		checks := on
		return Policy{AuthChecks: &checks, MXSizeLimit: Size(mx.DefaultMaxMessageBytes), MailboxQuota: Size(store.DefaultQuota)}
	}
	provider := func(domain string, accts ...Account) Provider {
		h := StandardHosts(domain)
		zone := DefaultDNS(domain)
		return Provider{Domain: domain, Hosts: &h, Accounts: accts, Policy: policy(), DNS: &zone}
	}
	return Spec{
		Version: Version,
		Title:   "Maillab: Alice at example.org, Bob at example.net",
		Providers: []Provider{
			provider("example.org", Account{Address: "alice@example.org", Password: "wonderland"}),
			provider("example.net", Account{Address: "bob@example.net", Password: "builder"},
				Account{Address: "carol@example.net", Password: "carol"}, Account{Address: "dave@example.net", Password: "dave"}),
		},
		Devices: []Device{
			{Name: "alice-laptop", Account: "alice@example.org", Protocol: IMAP, Security: StartTLS},
			{Name: "bob-laptop", Account: "bob@example.net", Protocol: POP3, Security: StartTLS, LeaveOnServer: &leave},
			{Name: "bob-phone", Account: "bob@example.net", Protocol: IMAP, Security: StartTLS},
		},
		Limits: Limits{MaxConns: &maxConns, MaxConnsPerAddr: &perAddr, LoginTimeout: &login, StressTimeout: &stress,
			AuthFailureDelay: &delay},
	}
}

// ThirdDomain is the third provider a world runs on demand.
const ThirdDomain = netmap.ThirdDomain

// ThirdProvider is example.com as Default writes a provider out: Erin's
// account, the standard host names, every policy at its default and the
// default zone.
func ThirdProvider() Provider {
	d := Default()
	p := d.Providers[0]
	h := StandardHosts(ThirdDomain)
	zone := DefaultDNS(ThirdDomain)
	p.Domain, p.Hosts, p.DNS = ThirdDomain, &h, &zone
	p.Accounts = []Account{{Address: "erin@example.com", Password: "explorer"}}
	return p
}

// ThirdDevice is Erin's laptop, an IMAP client like Alice's.
func ThirdDevice() Device {
	return Device{Name: "erin-laptop", Account: "erin@example.com", Protocol: IMAP, Security: StartTLS}
}

// AddThirdProvider adds example.com (ThirdProvider) and Erin's laptop
// where s does not have them yet; a world file that already lists them
// keeps its own.
func (s *Spec) AddThirdProvider() {
	if s.Provider(ThirdDomain) == nil {
		s.Providers = append(s.Providers, ThirdProvider())
	}
	if d := ThirdDevice(); s.Device(d.Name) == nil {
		if a, _ := s.Account(d.Account); a != nil {
			s.Devices = append(s.Devices, d)
		}
	}
}

// HasThirdProvider reports whether s runs example.com.
func (s Spec) HasThirdProvider() bool { return s.Provider(ThirdDomain) != nil }

// ExtraDevices are Carol's and Dave's laptops (the Bcc lesson).
func ExtraDevices() []Device {
	leave := false
	return []Device{
		{Name: "carol-laptop", Account: "carol@example.net", Protocol: POP3, Security: StartTLS, LeaveOnServer: &leave},
		{Name: "dave-laptop", Account: "dave@example.net", Protocol: POP3, Security: StartTLS, LeaveOnServer: &leave},
	}
}

// Provider returns the provider of domain (nil if none).
func (s *Spec) Provider(domain string) *Provider {
	for i := range s.Providers {
		if s.Providers[i].Domain == domain {
			return &s.Providers[i]
		}
	}
	return nil
}

// Account returns the account with address and its provider (nil if none).
func (s *Spec) Account(address string) (*Account, *Provider) {
	for i := range s.Providers {
		p := &s.Providers[i]
		for j := range p.Accounts {
			if p.Accounts[j].Address == address {
				return &p.Accounts[j], p
			}
		}
	}
	return nil, nil
}

// Device returns the device named name (nil if none).
func (s *Spec) Device(name string) *Device {
	for i := range s.Devices {
		if s.Devices[i].Name == name {
			return &s.Devices[i]
		}
	}
	return nil
}

// Domains lists the providers' domains in order.
func (s Spec) Domains() []string {
	out := make([]string, 0, len(s.Providers))
	for _, p := range s.Providers {
		out = append(out, p.Domain)
	}
	return out
}

// HostsOf returns p's server names.
func (p Provider) HostsOf() Hosts {
	if p.Hosts != nil {
		return *p.Hosts
	}
	return StandardHosts(p.Domain)
}

// Clone returns a deep copy: changing it leaves s as it was.
func (s Spec) Clone() Spec {
	c := s
	c.Providers = slices.Clone(s.Providers)
	for i := range c.Providers {
		p := &c.Providers[i]
		if p.Hosts != nil {
			h := *p.Hosts
			p.Hosts = &h
		}
		p.Accounts = slices.Clone(p.Accounts)
		p.Policy.AuthChecks = clonePtr(p.Policy.AuthChecks)
		p.DNS = cloneDNS(p.DNS)
		p.Policy.GreylistDelay = clonePtr(p.Policy.GreylistDelay)
		p.Policy.QueueLifetime = clonePtr(p.Policy.QueueLifetime)
		p.Policy.RelayNetworks = slices.Clone(p.Policy.RelayNetworks)
		p.Policy.Down = slices.Clone(p.Policy.Down)
	}
	c.Devices = slices.Clone(s.Devices)
	for i := range c.Devices {
		c.Devices[i].LeaveOnServer = clonePtr(c.Devices[i].LeaveOnServer)
	}
	c.Limits = Limits{MaxConns: clonePtr(s.Limits.MaxConns), MaxConnsPerAddr: clonePtr(s.Limits.MaxConnsPerAddr),
		LoginTimeout: clonePtr(s.Limits.LoginTimeout), StressTimeout: clonePtr(s.Limits.StressTimeout), SessionTimeout: clonePtr(s.Limits.SessionTimeout),
		AuthFailureDelay: clonePtr(s.Limits.AuthFailureDelay)}
	c.Mailboxes = slices.Clone(s.Mailboxes)
	for i := range c.Mailboxes {
		m := &c.Mailboxes[i]
		m.Messages = slices.Clone(m.Messages)
		for j := range m.Messages {
			m.Messages[j].Flags = slices.Clone(m.Messages[j].Flags)
		}
	}
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
