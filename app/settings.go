package app

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"maillab/lessons/i18n"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// The World settings dialog (#18): each provider's accounts, server
// policy, servers and DNS zone, changed while the world runs. Every
// change goes to the running world (which says so in the transcript)
// and to every run from now on, as SetDNS does. Errors come as sentences
// in the language asked for (en, de, pl), one line per problem.

// WorldSettings is what the dialog shows.
type WorldSettings struct {
	// Running: the settings are the running world's; else the next run's.
	Running   bool            `json:"running"`
	Providers []ProviderWorld `json:"providers"`
	// Devices: how each device's mail client reads mail.
	Devices []DeviceSettings `json:"devices"`
}

// DeviceSettings is one device's mail client as the dialog edits it.
type DeviceSettings struct {
	Name          string `json:"name"`
	Account       string `json:"account"`
	Protocol      string `json:"protocol"` // pop3 | imap
	Security      string `json:"security"` // starttls | implicit | plain
	Port          int    `json:"port"`     // what the client connects to (read only)
	LeaveOnServer bool   `json:"leaveOnServer"`
	// DeleteAfterDays: with LeaveOnServer, delete what was downloaded at
	// least so many days ago (0: never).
	DeleteAfterDays int `json:"deleteAfterDays"`
}

// ProviderWorld is one provider's part of WorldSettings.
type ProviderWorld struct {
	Domain   string            `json:"domain"`
	Accounts []AccountSettings `json:"accounts"`
	Policy   PolicySettings    `json:"policy"`
	Servers  []ServerState     `json:"servers"`
	DNS      worldspec.DNS     `json:"dns"`
	// Room: the classroom provider this Maillab runs in a room; its
	// policy takes no relay networks (it relays for nobody).
	Room bool `json:"room,omitempty"`
}

// AccountSettings is one account; Password is left out for viewers.
type AccountSettings struct {
	Address  string `json:"address"`
	Password string `json:"password,omitempty"`
	// Quota is its own quota ("" the provider's, "none", "50MiB").
	Quota string `json:"quota"`
	// Device names the devices that read its mail (it cannot be removed).
	Devices []string `json:"devices,omitempty"`
}

// PolicySettings is a provider's server policy as the dialog edits it.
// Every field changes while the world runs; PlaintextAuth restarts the
// MSA and the mailbox server, MXSizeLimit and StartTLS to or from off
// the MX (the transcript says so).
type PolicySettings struct {
	StartTLS      string   `json:"starttls"` // offered, required, off
	Greylisting   bool     `json:"greylisting"`
	GreylistDelay string   `json:"greylistDelay,omitempty"` // "1m"; "" the default
	RelayNetworks []string `json:"relayNetworks"`
	AuthChecks    bool     `json:"authChecks"`
	MailboxQuota  string   `json:"mailboxQuota"` // "" the default, "none", "50MiB"

	PlaintextAuth bool   `json:"plaintextAuth"`
	MXSizeLimit   string `json:"mxSizeLimit,omitempty"` // "" the default (10MiB), "4000", "1MiB"
	OutgoingTLS   string `json:"outgoingTLS,omitempty"` // "" or opportunistic, required
	// QueueLifetime: how long the sending MTA retries ("" 5d, "30m", "2d").
	QueueLifetime string `json:"queueLifetime,omitempty"`
}

// ServerState is one server of a provider: mx, submission or mailbox.
type ServerState struct {
	Server string `json:"server"`
	Host   string `json:"host"`
	Up     bool   `json:"up"`
}

// withoutPasswords is what a viewer may see.
func (s WorldSettings) withoutPasswords() WorldSettings {
	out := WorldSettings{Running: s.Running, Providers: make([]ProviderWorld, len(s.Providers)), Devices: s.Devices}
	for i, p := range s.Providers {
		p.Accounts = slices.Clone(p.Accounts)
		for j := range p.Accounts {
			p.Accounts[j].Password = ""
		}
		out.Providers[i] = p
	}
	return out
}

// WorldSettings is every provider's settings, the running world's or, with
// none running, the next run's. The HTTP API leaves the passwords out for
// viewers.
func (a *App) WorldSettings() (WorldSettings, error) {
	a.mu.Lock()
	r := a.run
	a.mu.Unlock()
	var s world.Spec
	if r != nil {
		s = r.World.Spec()
	} else {
		s = a.currentSpec()
	}
	out := WorldSettings{Running: r != nil, Devices: []DeviceSettings{}}
	for _, d := range s.Devices {
		d = deviceOf(s, d.Name)
		out.Devices = append(out.Devices, DeviceSettings{Name: d.Name, Account: d.Account, Protocol: d.Protocol,
			Security: d.Security, Port: worldspec.FetchPort(d.Protocol, d.Security),
			LeaveOnServer: d.LeaveOnServer != nil && *d.LeaveOnServer, DeleteAfterDays: d.DeleteAfterDays})
	}
	for _, p := range s.Providers {
		ps := ProviderWorld{Domain: p.Domain, Policy: policySettings(p.Policy), DNS: p.DNSOf()}
		if r != nil {
			ps.DNS = r.World.DNSOf(p.Domain)
		}
		for _, acct := range p.Accounts {
			as := AccountSettings{Address: acct.Address, Password: acct.Password}
			if acct.Quota != 0 {
				as.Quota = acct.Quota.String()
			}
			for _, d := range s.Devices {
				if strings.EqualFold(d.Account, acct.Address) {
					as.Devices = append(as.Devices, d.Name)
				}
			}
			ps.Accounts = append(ps.Accounts, as)
		}
		hosts := worldspec.StandardHosts(p.Domain)
		for _, srv := range worldspec.Servers {
			up := !p.Policy.IsDown(srv)
			if r != nil {
				up = r.World.ServerUp(p.Domain, srv)
			}
			ps.Servers = append(ps.Servers, ServerState{Server: srv, Host: serverHostOf(hosts, srv), Up: up})
		}
		out.Providers = append(out.Providers, ps)
	}
	a.mu.Lock()
	room, ok := a.roomSettingsLocked()
	a.mu.Unlock()
	if ok {
		out.Providers = append(out.Providers, room)
	}
	return out, nil
}

func serverHostOf(h worldspec.Hosts, server string) string {
	switch server {
	case worldspec.ServerMX:
		return h.MX
	case worldspec.ServerSubmission:
		return h.Submission
	}
	return h.Mailbox
}

func policySettings(p worldspec.Policy) PolicySettings {
	out := PolicySettings{StartTLS: p.StartTLS(), Greylisting: p.Greylisting, RelayNetworks: slices.Clone(p.RelayNetworks),
		AuthChecks: p.Checks(), PlaintextAuth: p.PlaintextAuth, OutgoingTLS: p.OutgoingTLS}
	if out.RelayNetworks == nil {
		out.RelayNetworks = []string{}
	}
	if p.GreylistDelay != nil {
		out.GreylistDelay = p.GreylistDelay.String()
	}
	if p.MailboxQuota != 0 {
		out.MailboxQuota = p.MailboxQuota.String()
	}
	if p.MXSizeLimit != 0 {
		out.MXSizeLimit = p.MXSizeLimit.String()
	}
	if p.QueueLifetime != nil {
		out.QueueLifetime = p.QueueLifetime.String()
	}
	return out
}

// settingsProblem is an input the app refuses before the world sees it.
type settingsProblem struct {
	key    string
	params map[string]string
}

func (p *settingsProblem) Error() string { return i18n.T("en", p.key, p.params) }

func problem(key string, params map[string]string) error {
	return &settingsProblem{key: key, params: params}
}

// parseQuota reads "", "none" or a size.
func parseQuota(field, s string) (worldspec.Size, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, nil
	case strings.EqualFold(s, "none"):
		return worldspec.Unlimited, nil
	}
	n, ok := worldspec.ParseSize(s)
	if !ok {
		return 0, problem("ui.settings.error.not-a-size", map[string]string{"field": field, "value": s})
	}
	return worldspec.Size(n), nil
}

// applyPolicy is cur with what the dialog changes.
func applyPolicy(cur worldspec.Policy, in PolicySettings) (worldspec.Policy, error) {
	pol := cur
	switch in.StartTLS {
	case worldspec.TLSOffered, worldspec.TLSRequired, worldspec.TLSOff:
		pol.StartTLSOn25 = in.StartTLS
	default:
		return pol, problem("ui.settings.error.starttls", map[string]string{"value": in.StartTLS})
	}
	if pol.StartTLSOn25 == worldspec.TLSOffered && cur.StartTLSOn25 == "" {
		pol.StartTLSOn25 = "" // the default, as the file had it
	}
	pol.Greylisting = in.Greylisting
	pol.GreylistDelay = nil
	if d := strings.TrimSpace(in.GreylistDelay); d != "" && in.Greylisting {
		v, ok := worldspec.ParseDuration(d)
		if !ok {
			return pol, problem("ui.settings.error.not-a-duration", map[string]string{"field": "greylist-delay", "value": d})
		}
		gd := worldspec.Duration(v)
		pol.GreylistDelay = &gd
	}
	pol.QueueLifetime = nil
	if d := strings.TrimSpace(in.QueueLifetime); d != "" {
		v, ok := worldspec.ParseDuration(d)
		if !ok {
			return pol, problem("ui.settings.error.not-a-duration", map[string]string{"field": "queue-lifetime", "value": d})
		}
		lt := worldspec.Duration(v)
		pol.QueueLifetime = &lt
	}
	pol.PlaintextAuth = in.PlaintextAuth
	switch in.OutgoingTLS {
	case "", worldspec.TLSOpportunistic, worldspec.TLSRequired:
		pol.OutgoingTLS = in.OutgoingTLS
	default:
		return pol, problem("ui.settings.error.outgoing-tls", map[string]string{"value": in.OutgoingTLS})
	}
	if in.OutgoingTLS == worldspec.TLSOpportunistic && cur.OutgoingTLS == "" {
		pol.OutgoingTLS = "" // the default, as the file had it
	}
	pol.MXSizeLimit = 0
	if v := strings.TrimSpace(in.MXSizeLimit); v != "" {
		n, ok := worldspec.ParseSize(v)
		if !ok || n <= 0 {
			return pol, problem("ui.settings.error.not-a-size", map[string]string{"field": "mx-size-limit", "value": v})
		}
		pol.MXSizeLimit = worldspec.Size(n)
	}
	pol.RelayNetworks = nil
	for _, n := range in.RelayNetworks {
		if n = strings.TrimSpace(n); n != "" {
			pol.RelayNetworks = append(pol.RelayNetworks, n)
		}
	}
	if in.AuthChecks != cur.Checks() {
		c := in.AuthChecks
		pol.AuthChecks = &c
	}
	q, err := parseQuota("mailbox-quota", in.MailboxQuota)
	if err != nil {
		return pol, err
	}
	pol.MailboxQuota = q
	return pol, nil
}

// changeWorld applies a change to the running world (live, which notes it
// in the transcript) and to the world every run from now on gets (next).
// With no run, only next; an error of next then is the answer.
func (a *App) changeWorld(lang string, live func(w *world.World) error, next func(s *world.Spec) error) error {
	a.mu.Lock()
	r := a.run
	spec := world.DefaultSpec()
	if a.opts.World.Spec != nil {
		spec = a.opts.World.Spec.Clone()
	}
	a.mu.Unlock()
	if r != nil {
		if err := live(r.World); err != nil {
			return settingsError(lang, err)
		}
	}
	err := next(&spec)
	if err == nil {
		err = spec.Validate()
	}
	if err != nil {
		if r != nil {
			return nil // the running world took it; the next run starts as the file says
		}
		return settingsError(lang, err)
	}
	a.mu.Lock()
	a.opts.World.Spec = &spec
	a.mu.Unlock()
	return nil
}

// AddAccount adds an account (quota "" the provider's, "none" or a size).
func (a *App) AddAccount(address, password, quota, lang string) error {
	q, err := parseQuota("quota", quota)
	if err != nil {
		return settingsError(lang, err)
	}
	acct := worldspec.Account{Address: strings.TrimSpace(address), Password: password, Quota: q}
	if !strings.Contains(acct.Address, "@") {
		return settingsError(lang, problem("ui.settings.error.address", map[string]string{"value": acct.Address}))
	}
	return a.changeWorld(lang, func(w *world.World) error {
		if w.Provider(domainOf(acct.Address)) == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": acct.Address})
		}
		return w.AddAccount(acct)
	}, func(s *world.Spec) error {
		p := s.Provider(domainOf(acct.Address))
		if p == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": acct.Address})
		}
		p.Accounts = append(p.Accounts, acct)
		return nil
	})
}

func domainOf(address string) string {
	return strings.ToLower(address[strings.LastIndexByte(address, '@')+1:])
}

// RemoveAccount deletes an account and its mail; one a device reads
// cannot go.
func (a *App) RemoveAccount(address, lang string) error {
	byDevice := func(s *world.Spec) error {
		if acct, _ := s.Account(address); acct == nil {
			return problem("ui.settings.error.no-account", map[string]string{"account": address})
		}
		for _, d := range s.Devices {
			if strings.EqualFold(d.Account, address) {
				return problem("ui.settings.error.device-account", map[string]string{"account": address, "device": d.Name})
			}
		}
		return nil
	}
	return a.changeWorld(lang, func(w *world.World) error {
		s := w.Spec()
		if err := byDevice(&s); err != nil {
			return err
		}
		return w.RemoveAccount(address)
	}, func(s *world.Spec) error {
		if err := byDevice(s); err != nil {
			return err
		}
		_, p := s.Account(address)
		p.Accounts = slices.DeleteFunc(p.Accounts, func(x worldspec.Account) bool { return strings.EqualFold(x.Address, address) })
		s.Mailboxes = slices.DeleteFunc(s.Mailboxes, func(mb worldspec.Mailbox) bool { return strings.EqualFold(mb.Account, address) })
		return nil
	})
}

// SetPassword gives an account a new password.
func (a *App) SetPassword(address, password, lang string) error {
	return a.changeWorld(lang, func(w *world.World) error {
		if err := knownAccount(w.Spec(), address); err != nil {
			return err
		}
		return w.SetPassword(address, password)
	}, func(s *world.Spec) error {
		acct, _ := s.Account(address)
		if acct == nil {
			return problem("ui.settings.error.no-account", map[string]string{"account": address})
		}
		acct.Password = password
		return nil
	})
}

func knownAccount(s world.Spec, address string) error {
	if acct, _ := s.Account(address); acct == nil {
		return problem("ui.settings.error.no-account", map[string]string{"account": address})
	}
	return nil
}

// SetAccountQuota gives an account its own quota ("" the provider's
// again, "none" no limit, or a size such as 10MiB).
func (a *App) SetAccountQuota(address, quota, lang string) error {
	q, err := parseQuota("quota", quota)
	if err != nil {
		return settingsError(lang, err)
	}
	if ok, err := a.setRoomAccountQuota(address, q); ok {
		return settingsError(lang, err)
	}
	return a.changeWorld(lang, func(w *world.World) error {
		if err := knownAccount(w.Spec(), address); err != nil {
			return err
		}
		return w.SetAccountQuota(address, q)
	}, func(s *world.Spec) error {
		acct, _ := s.Account(address)
		if acct == nil {
			return problem("ui.settings.error.no-account", map[string]string{"account": address})
		}
		acct.Quota = q
		return nil
	})
}

// SetPolicy changes domain's server policy: STARTTLS on 25, greylisting,
// relay networks, the SPF/DKIM/DMARC checks, the mailbox quota, AUTH
// before TLS, SIZE, the sending MTA's TLS and queue lifetime. Which
// servers are up stays (SetServerUp). What a server reads only at start
// restarts it while the world runs (world.SetPolicy). The classroom
// provider this Maillab runs in a room takes the same, but relay networks
// (setRoomPolicy).
func (a *App) SetPolicy(domain string, in PolicySettings, lang string) error {
	if ok, err := a.setRoomPolicy(domain, in); ok {
		return settingsError(lang, err)
	}
	return a.changeWorld(lang, func(w *world.World) error {
		s := w.Spec()
		p := s.Provider(domain)
		if p == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": domain})
		}
		pol, err := applyPolicy(p.Policy, in)
		if err != nil {
			return err
		}
		return w.SetPolicy(domain, pol)
	}, func(s *world.Spec) error {
		p := s.Provider(domain)
		if p == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": domain})
		}
		pol, err := applyPolicy(p.Policy, in)
		if err != nil {
			return err
		}
		p.Policy = pol
		return nil
	})
}

// SetServerUp takes one of domain's servers (mx, submission, mailbox)
// down or brings it back.
func (a *App) SetServerUp(domain, server string, up bool, lang string) error {
	if !slices.Contains(worldspec.Servers, server) {
		return settingsError(lang, problem("ui.settings.error.server", map[string]string{"value": server}))
	}
	if ok, err := a.setRoomServerUp(domain, server, up); ok {
		return err
	}
	return a.changeWorld(lang, func(w *world.World) error {
		if w.Provider(domain) == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": domain})
		}
		return w.SetServerUp(domain, server, up)
	}, func(s *world.Spec) error {
		p := s.Provider(domain)
		if p == nil {
			return problem("ui.settings.error.no-provider", map[string]string{"value": domain})
		}
		p.Policy.Down = slices.DeleteFunc(p.Policy.Down, func(x string) bool { return x == server })
		if !up {
			p.Policy.Down = append(p.Policy.Down, server)
		}
		if len(p.Policy.Down) == 0 {
			p.Policy.Down = nil
		}
		return nil
	})
}

// SetDevice changes how a device's mail client reads mail: protocol
// (pop3, imap), security (starttls, implicit, plain; sending on 587 or 465
// uses it too) and, for POP3, "leave a copy on the server" and "delete
// from the server after N days". The account stays.
func (a *App) SetDevice(name string, in DeviceSettings, lang string) error {
	apply := func(s *world.Spec) (worldspec.Device, error) {
		cur := s.Device(name)
		if cur == nil {
			return worldspec.Device{}, problem("ui.settings.error.no-device", map[string]string{"value": name})
		}
		d := worldspec.Device{Name: name, Account: cur.Account, Protocol: in.Protocol, Security: in.Security}
		if d.Protocol == worldspec.POP3 && in.LeaveOnServer {
			leave := true
			d.LeaveOnServer = &leave
			d.DeleteAfterDays = in.DeleteAfterDays
		}
		return d, nil
	}
	return a.changeWorld(lang, func(w *world.World) error {
		s := w.Spec()
		d, err := apply(&s)
		if err != nil {
			return err
		}
		return w.SetDevice(name, d)
	}, func(s *world.Spec) error {
		d, err := apply(s)
		if err != nil {
			return err
		}
		*s.Device(name) = d
		return nil
	})
}

// fieldProblems maps what worldspec says about a field to a sentence of
// the catalogue; what it does not know keeps worldspec's English words.
var fieldProblems = []struct{ prefix, key string }{
	{"is missing", "ui.settings.error.missing"},
	{"is longer than", "ui.settings.error.too-long"},
	{"contains a control character", "ui.settings.error.control"},
	{"starts or ends with a space", "ui.settings.error.space"},
	{"is not an e-mail address", "ui.settings.error.address-field"},
	{"is not at ", "ui.settings.error.wrong-domain"},
	{"is listed twice", "ui.settings.error.twice"},
	{"is less than", "ui.settings.error.quota-small"},
	{"is not a network", "ui.settings.error.network"},
	{"is outside", "ui.settings.error.range"},
	{"accounts; a provider may have at most", "ui.settings.error.too-many"},
}

// settingsError turns what the app or the world refused into sentences in
// lang, one line per problem, each naming its field.
func settingsError(lang string, err error) error {
	if err == nil {
		return nil
	}
	if !i18n.Supported(lang) {
		lang = "en"
	}
	var sp *settingsProblem
	if errors.As(err, &sp) {
		return errors.New(i18n.T(lang, sp.key, sp.params))
	}
	var lines []string
	for _, e := range flatten(err) {
		var fe *worldspec.FieldError
		if !errors.As(e, &fe) || fe.Path == "" {
			continue
		}
		field := fe.Path[strings.LastIndexByte(fe.Path, '.')+1:]
		if i := strings.IndexByte(field, '['); i > 0 {
			field = field[:i]
		}
		params := map[string]string{"field": i18n.T(lang, "ui.settings.field."+field, nil), "detail": fe.Msg}
		if params["field"] == "ui.settings.field."+field {
			params["field"] = field
		}
		key := "ui.settings.error.field"
		for _, fp := range fieldProblems {
			if strings.Contains(fe.Msg, fp.prefix) {
				key = fp.key
				break
			}
		}
		lines = append(lines, i18n.T(lang, key, params))
	}
	if len(lines) == 0 {
		return err
	}
	return errors.New(strings.Join(lines, "\n"))
}

// flatten unwraps fmt.Errorf and errors.Join into the leaves.
func flatten(err error) []error {
	switch x := err.(type) {
	case interface{ Unwrap() []error }:
		var out []error
		for _, e := range x.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	case *worldspec.FieldError:
		return []error{x}
	case interface{ Unwrap() error }:
		if inner := x.Unwrap(); inner != nil {
			return flatten(inner)
		}
	}
	return []error{err}
}

// decodeArgs fills each of vs from args in order; a method's arguments.
func decodeArgs(args []json.RawMessage, vs ...any) error {
	for i, v := range vs {
		if err := arg(args, i, v); err != nil {
			return err
		}
	}
	return nil
}
