// Package world assembles the two providers, the DNS server and the devices
// on loopback, with every server socket tapped and every line held by one
// conductor. A World is either a scenario world (each host on its own
// loopback address, ephemeral ports) or a port-map world for external
// clients (well-known port + base on one bind address).
package world

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/limits"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
	"maillab/simulator/pki"
	"maillab/simulator/worldspec"
)

// Options configure a world.
type Options struct {
	// Spec is the world to build: providers, accounts, policy, devices,
	// limits and stored mail (nil: DefaultSpec). The configuration fields
	// below (InsecureAuth, MXMaxMessageBytes, ExtraDevices, NoAuthChecks,
	// the limits, MailboxQuota) change it where they are set
	// (EffectiveSpec); the rest say how this run is driven.
	Spec     *Spec
	Mode     conductor.Mode
	Interval time.Duration // play speed
	// Bind, when set, makes a port-map world: every service listens on
	// Bind at its well-known port + the provider's base (product.md).
	Bind     string
	PortBase int // example.org's base; example.net uses PortBase+10000, example.com PortBase+20000
	// AutoQueue lets the outgoing queues deliver and retry by themselves;
	// scenarios leave it off and flush the queue as a step.
	AutoQueue bool
	// SingleAddress forces every host onto 127.0.0.1.
	SingleAddress bool
	// Now is the clock agents write into Date and Received (golden tests
	// fix it); default time.Now.
	Now func() time.Time
	// Clock drives the queues' retry timers (nil: the real clock); the
	// retry lesson compresses time with a fake one.
	Clock mta.Clock
	// CA issues the servers' certificates; nil makes a new one. The app
	// keeps one CA across runs so an external client trusts it once.
	CA *pki.CA
	// DKIMKeys are the MSAs' signing keys; nil makes new ones for this
	// world. The app keeps one set across runs, like the CA.
	DKIMKeys *DKIMKeys
	// NoTap leaves sockets untapped: only the benchmark uses it, to
	// measure what the tap costs.
	NoTap bool
	// MXMaxMessageBytes is the SIZE limit every MX advertises (RFC 1870);
	// 0 keeps the MX default. Only the size-limit lesson makes it small.
	MXMaxMessageBytes int64
	// InsecureAuth lists the domains whose servers accept a password
	// without TLS (AUTH on 587, USER/PASS and AUTH on 110, LOGIN and
	// AUTHENTICATE on 143): the plaintext-password lesson sets one, and
	// --allow-plaintext-auth all of them for the telnet exercise.
	InsecureAuth []string
	// ExtraDevices adds carol-laptop and dave-laptop (the Bcc lesson);
	// off keeps the classic three devices.
	ExtraDevices bool
	// ThirdProvider adds example.com with Erin's account and laptop
	// (worldspec.AddThirdProvider) where the spec does not have it.
	ThirdProvider bool
	// AuthFailureDelay pauses every server before it answers a wrong
	// password (0: DefaultAuthFailureDelay; negative: no pause, for tests).
	AuthFailureDelay time.Duration
	// HandshakeTimeout bounds an implicit-TLS handshake on 465/993/995
	// (0: DefaultHandshakeTimeout); tests make it short.
	HandshakeTimeout time.Duration
	// NoAuthChecks turns off the SPF, DKIM and DMARC checks every MX makes
	// by default (the records are published and mail is signed anyway).
	NoAuthChecks bool

	// MaxConns caps each server's connections over all its ports (0:
	// limits.DefaultMaxConns, 200); MaxConnsPerAddr caps one client
	// address's share of them (0: limits.DefaultPerAddr, 50), so one
	// address that floods cannot lock out the others.
	MaxConns, MaxConnsPerAddr int
	// LoginTimeout is how long a server waits for each line before login
	// (0: limits.DefaultLoginTimeout, 1 min); StressTimeout replaces it
	// while a server holds over 80% of MaxConns (0: 10 s); SessionTimeout,
	// when set, replaces every protocol's own limit after login (SMTP 5
	// min, POP3 10 min, IMAP 30 min) and on port 25, where nobody logs in.
	// Tests make them tiny.
	LoginTimeout, StressTimeout, SessionTimeout time.Duration
	// MailboxQuota is the storage quota of every account in octets (0:
	// store.DefaultQuota, 50 MiB; negative: no limit). Delivery over it
	// gets 552 5.2.2 and bounces, IMAP APPEND NO [OVERQUOTA].
	MailboxQuota int64

	// Room, when set, runs a classroom student's provider beside the
	// others (RoomProvider): only its servers listen beyond loopback.
	Room *RoomProvider
}

// DefaultAuthFailureDelay is Dovecot's auth_failure_delay: a guesser gets
// one try per 2 s and three per connection.
const DefaultAuthFailureDelay = worldspec.DefaultAuthFailureDelay

// authFailureDelay is the pause the servers make.
func (o Options) authFailureDelay() time.Duration {
	switch {
	case o.AuthFailureDelay < 0:
		return 0
	case o.AuthFailureDelay == 0:
		return DefaultAuthFailureDelay
	}
	return o.AuthFailureDelay
}

// timeouts are the servers' idle limits (zero fields: each server's
// defaults).
func (o Options) timeouts() limits.Timeouts {
	return limits.Timeouts{Login: o.LoginTimeout, Stress: o.StressTimeout, Session: o.SessionTimeout}
}

// AllowPlaintextAuth opens every provider to passwords before TLS: the
// --allow-plaintext-auth flag of world and serve, for telnet exercises.
func (o *Options) AllowPlaintextAuth() { o.InsecureAuth = slices.Clone(AllDomains) }

// World is one running mail world.
type World struct {
	Conductor *conductor.Conductor
	CA        *pki.CA
	Dir       *netmap.Directory
	Nodes     []netmap.Node

	opts  Options
	third bool // example.com runs (its spec has it)
	spec  Spec // what this world was built from (EffectiveSpec), with the changes since (SetDNS, accounts, SetPolicy, SetServerUp); guarded by specMu
	// roomPolicy is the room provider's policy (no part of spec: no world
	// file has the room); guarded by specMu.
	roomPolicy worldspec.Policy
	roomQuota  worldspec.Size // the room account's own quota; guarded by specMu
	specMu     sync.RWMutex
	servedMu   sync.Mutex
	// changeMu makes SetPolicy, SetDNS and SetAuthChecks one at a time:
	// they read and replace a provider's servers (restartServer).
	changeMu  sync.Mutex
	served    []*served       // every listening port, for SetServerUp; guarded by servedMu
	penalty   *limits.Penalty // wrong passwords per client address, for every server
	dkimKeys  *DKIMKeys
	providers map[string]*Provider
	devices   map[string]*mua.Device
	byIP      map[string]string
	ports     *portRegistry
	dns       *dnsService

	mu         sync.Mutex
	closers    []io.Closer
	tlsClients map[string]*pki.Client
	tlsServers map[string]*tls.Config
	serving    sync.WaitGroup
	closed     bool
}

// Accounts are the demo logins of product.md (DefaultSpec's accounts).
var Accounts = []struct{ Address, Password string }{
	{"alice@example.org", "wonderland"},
	{"bob@example.net", "builder"},
	// Carol and Dave receive the Cc and Bcc copies of the Bcc lesson.
	{"carol@example.net", "carol"},
	{"dave@example.net", "dave"},
}

// Domains of the two providers (every spec has both).
var Domains = []string{"example.org", "example.net"}

// ThirdDomain is the third provider, example.com, which a world runs on
// demand (Options.ThirdProvider or a spec that lists it).
const ThirdDomain = worldspec.ThirdDomain

// AllDomains are Domains and the third provider a spec may add.
var AllDomains = append(slices.Clone(Domains), worldspec.ThirdDomain)

// Domains are the providers this world runs: Domains, then example.com
// when its spec has it.
func (w *World) Domains() []string {
	if w.third {
		return slices.Clone(AllDomains)
	}
	return slices.Clone(Domains)
}

// Start builds and starts a world. On error everything started is closed.
func Start(opts Options) (*World, error) {
	spec := opts.EffectiveSpec()
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("world: %w", err)
	}
	opts.applySpec(spec)
	if opts.Mode == "" {
		opts.Mode = conductor.Instant
	}
	if opts.Clock == nil {
		c := mta.NewRealClock() // the wall clock, which PassTime can move on
		opts.Clock = c
		if opts.Now == nil {
			opts.Now = c.Now
		}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ca := opts.CA
	if ca == nil {
		var err error
		if ca, err = pki.NewCA(); err != nil {
			return nil, err
		}
	}
	if opts.DKIMKeys == nil {
		opts.DKIMKeys = NewDKIMKeys()
	}
	own := !opts.SingleAddress && netmap.OwnAddressesWork()
	third := spec.HasThirdProvider()
	w := &World{Conductor: conductor.New(opts.Mode, opts.Interval), CA: ca, Dir: netmap.NewDirectory(),
		Nodes: worldNodes(own, third, opts.Room), third: third, opts: opts, spec: spec, penalty: limits.NewPenalty(opts.authFailureDelay()), dkimKeys: opts.DKIMKeys, providers: map[string]*Provider{}, devices: map[string]*mua.Device{},
		byIP: map[string]string{}, ports: newPortRegistry(),
		tlsClients: map[string]*pki.Client{}, tlsServers: map[string]*tls.Config{}}
	if own {
		for _, n := range w.Nodes {
			if n.ID != netmap.External && n.ID != netmap.RoomDNS && n.ID != netmap.Classmate {
				w.byIP[n.IP] = n.ID
			}
		}
	}
	if err := w.start(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

func (w *World) start() error {
	if err := w.startDNS(); err != nil {
		return fmt.Errorf("world: DNS: %w", err)
	}
	for _, d := range w.Domains() {
		p, err := w.startProvider(d)
		if err != nil {
			return fmt.Errorf("world: %s: %w", d, err)
		}
		w.providers[d] = p
	}
	if w.opts.Room != nil {
		if err := w.startRoom(); err != nil {
			return err
		}
	}
	w.addDevices()
	if err := w.fillMailboxes(); err != nil {
		return err
	}
	return w.takeDown()
}

// addDevices makes the spec's devices, each with its account's login.
func (w *World) addDevices() {
	for _, d := range w.spec.Devices {
		w.devices[d.Name] = mua.NewDevice(d.Name, w.deviceAccount(d), w)
	}
}

// Device returns a device by node id (nil if unknown).
func (w *World) Device(id string) *mua.Device { return w.devices[id] }

// Provider returns a provider by domain (nil if unknown).
func (w *World) Provider(domain string) *Provider { return w.providers[domain] }

// Node returns the node with id.
func (w *World) Node(id string) (netmap.Node, bool) {
	for _, n := range w.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return netmap.Node{}, false
}

// Now is the world's clock.
func (w *World) Now() time.Time { return w.opts.Now() }

// ClientTLS is the TLS config of built-in clients: trust this run's CA.
// It keeps no sessions: every handshake with it is a full one.
func (w *World) ClientTLS(host string) *tls.Config { return w.CA.ClientConfig(host) }

// NodeTLS is node's TLS config for host (mua.Net): each device and each
// MTA is a client of its own and resumes only its own sessions, as on
// separate machines. A new world starts with empty session caches.
func (w *World) NodeTLS(node, host string) *tls.Config {
	if w.roomHost(host) {
		return w.roomClientTLS(host)
	}
	return w.tlsClient(node).Config(host)
}

// worldNodes are the nodes of a world: NodesWith, and a room provider's
// before the outside clients.
func worldNodes(own, third bool, room *RoomProvider) []netmap.Node {
	nodes := netmap.NodesWith(own, third)
	if room == nil {
		return nodes
	}
	dnsIP, _, _ := net.SplitHostPort(room.DNS)
	return slices.Insert(nodes, len(nodes)-2, netmap.RoomNodes(own, room.Domain, room.Name, dnsIP)...)
}

func (w *World) tlsClient(node string) *pki.Client {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.tlsClients[node]
	if !ok {
		c = w.CA.NewClient()
		w.tlsClients[node] = c
	}
	return c
}

// serverTLS is host's server config, one per host and world: its ports
// share the session-ticket keys, as one Dovecot or Postfix does.
func (w *World) serverTLS(host string) (*tls.Config, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.tlsServers[host]; ok {
		return c, nil
	}
	if w.roomHost(host) {
		c := w.roomServerTLS(host)
		w.tlsServers[host] = c
		return c, nil
	}
	c, err := w.CA.ServerConfig(host)
	if err != nil {
		return nil, err
	}
	w.tlsServers[host] = c
	return c, nil
}

// Note logs a state event (not held).
func (w *World) Note(ctx context.Context, actor, code string, params map[string]string) error {
	w.Conductor.Emit(&event.Event{Kind: event.KindState, Actor: actor, Code: code, Params: params})
	return ctx.Err()
}

// Finish logs the end of a scenario.
func (w *World) Finish() {
	w.Conductor.Emit(&event.Event{Kind: event.KindState, Code: "state.run-finished"})
}

func (w *World) addCloser(c io.Closer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closers = append(w.closers, c)
}

// serve runs fn (a server's accept loop) until the world closes.
func (w *World) serve(fn func() error) {
	w.serving.Add(1)
	go func() {
		defer w.serving.Done()
		fn()
	}()
}

// Close stops the conductor (waking held lines), then every server, and
// waits until every accept loop has returned.
func (w *World) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	closers := w.closers
	w.mu.Unlock()
	w.Conductor.Close()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		if err := closers[i].Close(); err != nil && !isClosedErr(err) {
			errs = append(errs, err)
		}
	}
	w.serving.Wait()
	return errors.Join(errs...)
}
