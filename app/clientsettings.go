package app

import (
	"path/filepath"
	"strings"
	"sync"

	"maillab/lessons/i18n"
	"maillab/simulator/clientconfig"
)

// The addresses a mail program looks for its settings at (Thunderbird's
// FetchConfig): autoconfig.<domain>/mail/config-v1.1.xml and
// <domain>/.well-known/autoconfig/mail/config-v1.1.xml, both with
// ?emailaddress=, and its ISPDB, mailnews.auto_config_url + domain. The
// names example.org and example.net do not lead here, so a user points
// the ISPDB preference at ispdbPrefix instead.
const (
	wellKnownPath = "/.well-known/autoconfig/mail/config-v1.1.xml"
	ispPath       = "/mail/config-v1.1.xml"
	ispdbPrefix   = "/v1.1/"
	caPath        = "/maillab-ca.pem"
)

// ClientSettings is what the "Connect your own mail client" page shows:
// for each provider the servers, ports, security and login to type into
// a mail program, and where the CA and the autoconfig file are.
type ClientSettings struct {
	// PortMap is false when the worlds of this app have no listeners for
	// external clients (no bind address, as in tests); Providers is empty
	// then and Note says why.
	PortMap   bool               `json:"portMap"`
	Bind      string             `json:"bind"`
	PortBase  int                `json:"portBase"`
	Note      string             `json:"note"`
	Providers []ProviderSettings `json:"providers"`
	// CAFile is where the CA certificate was written, "" if it was not.
	CAFile string `json:"caFile"`
	// CAURL and ISPDBURL exist only in browser mode, where an HTTP server
	// can hand out the certificate and the autoconfig files. ISPDBURL is
	// the value for Thunderbird's mailnews.auto_config_url, which appends
	// the domain of the address being set up.
	CAURL    string `json:"caUrl"`
	ISPDBURL string `json:"ispdbUrl"`
}

// ProviderSettings is one provider's page.
type ProviderSettings struct {
	Title    string                `json:"title"`
	Domain   string                `json:"domain"`
	Owner    string                `json:"owner"`
	Address  string                `json:"address"`
	Password string                `json:"password"`
	Incoming []clientconfig.Server `json:"incoming"`
	Outgoing []clientconfig.Server `json:"outgoing"`
	// AutoconfigURL is the provider's autoconfig file ("" outside browser
	// mode).
	AutoconfigURL string `json:"autoconfigUrl"`
}

// ClientSettings returns both providers' settings with titles in lang.
func (a *App) ClientSettings(lang string) (ClientSettings, error) {
	if !i18n.Supported(lang) {
		lang = "en"
	}
	caFile, serveURL := a.access.get()
	out := ClientSettings{Bind: a.opts.World.Bind, PortBase: a.opts.World.PortBase, CAFile: caFile,
		Providers: []ProviderSettings{}}
	if serveURL != "" {
		out.CAURL = serveURL + caPath[1:]
		out.ISPDBURL = serveURL + ispdbPrefix[1:]
	}
	pm, ok := a.portMap()
	out.PortMap = ok
	if !ok {
		out.Note = i18n.T(lang, "ui.connect.no-port-map", nil)
		return out, nil
	}
	for _, p := range clientconfig.Providers(pm, a.currentSpec().Domains(), a.accounts()) {
		out.Providers = append(out.Providers, providerSettings(p, lang, serveURL))
	}
	return out, nil
}

func providerSettings(p clientconfig.Provider, lang, serveURL string) ProviderSettings {
	title := p.Domain
	if key := "ui.topology.provider-" + strings.ToLower(p.Owner); i18n.Has(key) {
		title = i18n.T(lang, key, map[string]string{"domain": p.Domain})
	}
	ps := ProviderSettings{Title: title, Domain: p.Domain, Owner: p.Owner, Address: p.Address,
		Password: p.Password, Incoming: p.Incoming, Outgoing: p.Outgoing}
	if serveURL != "" {
		// "@" may stand unescaped in a query (RFC 3986 §3.4), and reads better.
		ps.AutoconfigURL = serveURL + wellKnownPath[1:] + "?emailaddress=" + p.Address
	}
	return ps
}

// portMap is where this app's worlds listen for external clients.
func (a *App) portMap() (clientconfig.PortMap, bool) {
	bind, base := a.opts.World.Bind, a.opts.World.PortBase // not the whole Options: OpenWorld sets its Spec
	return clientconfig.PortMap{Bind: bind, PortBase: base}, bind != ""
}

// accounts are the logins of the current world (a world file's, or the
// demo accounts): each provider's first one is offered.
func (a *App) accounts() []clientconfig.Account {
	var out []clientconfig.Account
	for _, p := range a.currentSpec().Providers {
		for _, acct := range p.Accounts {
			out = append(out, clientconfig.Account{Address: acct.Address, Password: acct.Password})
		}
	}
	return out
}

// access remembers what only the wiring knows: where the CA file went and
// the address browser mode serves at.
type access struct {
	mu       sync.Mutex
	caFile   string
	serveURL string // "http://127.0.0.1:8025/", with the trailing slash
}

func (x *access) setCAFile(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.caFile = path
}

func (x *access) setServeURL(url string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.serveURL = url
}

func (x *access) get() (caFile, serveURL string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.caFile, x.serveURL
}
