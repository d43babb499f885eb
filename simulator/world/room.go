package world

import (
	"bufio"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"maillab/simulator/dns"
	"maillab/simulator/event"
	"maillab/simulator/msa"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/mx"
	"maillab/simulator/netmap"
	"maillab/simulator/pki"
	"maillab/simulator/store"
	"maillab/simulator/wire"
	"maillab/simulator/worldspec"
)

// RoomProvider is a classroom student's provider as the room's join
// service hands it out (package classroom): a world with one runs it
// beside example.org and example.net. Its MX, MSA, POP3 and IMAP listen
// on the student's LAN address at the room's ports; its MDA and the
// student's two devices stay on loopback. Every connection passes the
// world's tap and conductor, also the ones to and from classmates: the
// MTA's queries to the room DNS and its sessions with classmates' MXes
// are tapped on this side of the wire.
type RoomProvider struct {
	Zone     string // room42.test
	Domain   string // anna.room42.test
	Name     string // anna: the devices are anna-laptop and anna-phone
	Account  string // anna@anna.room42.test
	Password string
	// Cert is the room CA's certificate for the servers, with its key;
	// CAs trusts the room CA only.
	Cert tls.Certificate
	CAs  *x509.CertPool
	// DNS is the room DNS server's ip:port.
	DNS string
	// Bind is the student's LAN address; PortOffset the room's port
	// offset (a service listens at its well-known port + PortOffset).
	Bind       string
	PortOffset int
	// DKIMKey signs the provider's mail; the room DNS publishes its
	// public half under Selector.
	DKIMKey  crypto.Signer
	Selector string
	// Retry is the queue's retry plan (zero: mta's default).
	Retry mta.Retry
	// Policy is the server policy the provider starts with (zero: the
	// defaults), as a world file has it for example.org; SetPolicy
	// changes it while the world runs. The room's rules are no part of
	// it: the provider relays for nobody (RelayNetworks must be empty)
	// and sends only inside the room's zone. Down is left out: the
	// servers start up.
	Policy worldspec.Policy
	// Quota is the account's own storage quota (0: the policy's
	// mailbox-quota; worldspec.Unlimited: none), as SetAccountQuota sets it.
	Quota worldspec.Size	// Store keeps the provider's mailboxes (nil: a new, empty one). A
	// student's Maillab passes the same store to every world it starts
	// while in the room, so the mail her classmates sent her outlives a
	// world started anew (a challenge the teacher hands out).
	Store *store.Store
}

// roomRelayProblem is why a room provider takes no relay networks.
func roomRelayProblem(domain string) error {
	return &worldspec.FieldError{Path: "policy.relay-networks",
		Msg: fmt.Sprintf("%s is a classroom provider: it relays for nobody (the room's rule)", domain)}
}

// RoomAccountQuota is the room account's own quota now (0: the policy's).
func (w *World) RoomAccountQuota() worldspec.Size {
	w.specMu.RLock()
	defer w.specMu.RUnlock()
	return w.roomQuota
}

// setRoomAccountQuota is SetAccountQuota for the room's one account.
func (w *World) setRoomAccountQuota(address string, quota worldspec.Size) error {
	r := w.opts.Room
	if !strings.EqualFold(address, r.Account) {
		return fmt.Errorf("world: no account %q (the classroom provider has one, %s)", address, r.Account)
	}
	acct := worldspec.Account{Address: r.Account, Quota: quota}
	if err := worldspec.ValidateAccountQuota("quota", acct); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	w.specMu.Lock()
	defer w.specMu.Unlock()
	if w.isClosed() {
		return ErrClosed
	}
	if err := setAccountQuota(w.providers[r.Domain].Store, acct); err != nil {
		return err
	}
	w.roomQuota = quota
	return nil
}

// RoomPolicy is the room provider's server policy now (zero without one).
func (w *World) RoomPolicy() worldspec.Policy {
	w.specMu.RLock()
	defer w.specMu.RUnlock()
	return clonePolicy(w.roomPolicy)
}

// RoomRefusal is why a classroom provider own does not send mail for
// domain ("" when domain is in the room's zone): mail stays in the room.
func RoomRefusal(zone, own, domain string) string {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if strings.HasSuffix(domain, "."+zone) {
		return ""
	}
	return fmt.Sprintf("mail for %s is not sent: in the classroom, %s delivers only inside the room's zone %s, never to the internet",
		domain, own, zone)
}

// RoomDomain is the domain of the world's room provider ("" without one).
func (w *World) RoomDomain() string {
	if w.opts.Room == nil {
		return ""
	}
	return w.opts.Room.Domain
}

// RoomQueue is the room provider's outgoing queue (nil without one): the
// classroom reports its deliveries to the room's host.
func (w *World) RoomQueue() *mta.Queue {
	if p := w.providers[w.RoomDomain()]; p != nil {
		return p.Queue
	}
	return nil
}

// RoomDevices are the room provider's devices (none without one).
func (w *World) RoomDevices() []string {
	r := w.opts.Room
	if r == nil {
		return nil
	}
	return []string{r.Name + "-laptop", r.Name + "-phone"}
}

// roomHost reports whether host is a server of the room provider.
func (w *World) roomHost(host string) bool {
	r := w.opts.Room
	return r != nil && strings.HasSuffix(strings.ToLower(host), "."+r.Domain)
}

// roomListenAddr is where a room server listens: the LAN address at the
// room's port, the MDA on its loopback address.
func (w *World) roomListenAddr(host string, svc netmap.Service) string {
	r := w.opts.Room
	if svc.Proto == "lmtp" {
		n, _ := w.Node(host)
		return net.JoinHostPort(n.IP, "0")
	}
	return net.JoinHostPort(r.Bind, strconv.Itoa(svc.Port+r.PortOffset))
}

// roomServerTLS is a room server's config: the room CA's certificate,
// its secrets in the run's key log so the tap shows what TLS carries.
func (w *World) roomServerTLS(host string) *tls.Config {
	r := w.opts.Room
	return &tls.Config{Certificates: []tls.Certificate{r.Cert}, MinVersion: tls.VersionTLS12,
		ServerName: host, KeyLogWriter: w.CA.KeyLog}
}

// roomClientTLS trusts the room CA only, for host.
func (w *World) roomClientTLS(host string) *tls.Config {
	return &tls.Config{RootCAs: w.opts.Room.CAs, ServerName: host, MinVersion: tls.VersionTLS12,
		KeyLogWriter: w.CA.KeyLog}
}

// startRoom starts the room provider: store, MDA, MX, queue, MSA,
// POP3 and IMAP, and the student's devices, with its policy.
func (w *World) startRoom() error {
	r := w.opts.Room
	if len(r.Policy.RelayNetworks) > 0 {
		return fmt.Errorf("world: %w", roomRelayProblem(r.Domain))
	}
	if err := r.Policy.Validate("policy"); err != nil {
		return fmt.Errorf("world: %s: %w", r.Domain, err)
	}
	w.roomPolicy = clonePolicy(r.Policy)
	w.roomPolicy.Down = nil
	st := r.Store
	if st == nil {
		st = store.New(r.Domain)
	}
	p := &Provider{Domain: r.Domain, Store: st, DKIMKey: r.DKIMKey, selector: r.Selector}
	switch q := r.Policy.MailboxQuota; {
	case q != 0:
		p.Store.SetQuota(int64(q)) // negative: no limit
	case r.Store != nil:
		p.Store.SetQuota(store.DefaultQuota) // an earlier world may have set another
	}
	acct := worldspec.Account{Address: r.Account, Password: r.Password, Quota: r.Quota}
	if err := worldspec.ValidateAccountQuota("quota", acct); err != nil {
		return fmt.Errorf("world: %s: %w", r.Domain, err)
	}
	if err := roomAccount(p.Store, acct); err != nil {
		return err
	}
	w.roomQuota = r.Quota
	w.providers[r.Domain] = p
	steps := []func(*Provider) error{w.startMDA, w.startMX, w.startRoomQueue, w.startMSA, w.startMailboxes}
	for _, step := range steps {
		if err := step(p); err != nil {
			return fmt.Errorf("world: %s: %w", r.Domain, err)
		}
	}
	login := mua.Account{Address: r.Account, Password: r.Password, SMTPHost: "smtp." + r.Domain, MailHost: "mail." + r.Domain}
	for _, id := range w.RoomDevices() {
		w.devices[id] = mua.NewDevice(id, login, w)
	}
	return nil
}

// roomAccount adds the student's account to the provider's store, or,
// in a store an earlier world of the room used, sets its quota again.
func roomAccount(st *store.Store, acct worldspec.Account) error {
	if st.HasUser(acct.Address) {
		return setAccountQuota(st, acct)
	}
	return addAccount(st, acct)
}

// roomResolver asks the room DNS from the LAN address, each query and
// answer tapped as host's.
func (w *World) roomResolver(host string) *dns.Resolver {
	res := dns.NewResolver(w.opts.Room.DNS, dns.DialFunc(w.roomDial(host, netmap.RoomDNS)))
	if w.opts.Clock != nil {
		res.SetClock(w.opts.Clock.Now)
	}
	return res
}

// newRoomMX builds the room provider's MX as its policy is now (newMX
// for the room): SIZE, STARTTLS offered, required or off, greylisting,
// the SPF/DKIM/DMARC checks against the room DNS. It relays for nobody.
func (w *World) newRoomMX(p *Provider) (*mx.Server, error) {
	host := "mx." + p.Domain
	cfg, err := w.serverTLS(host)
	if err != nil {
		return nil, err
	}
	policy := w.providerSpec(p.Domain).Policy
	if policy.StartTLS() == worldspec.TLSOff {
		cfg = nil // no STARTTLS in EHLO: classmates deliver in the clear
	}
	mp := w.mxPolicy(policy)
	mp.RelayNets = nil // the room's rule
	lmtpAddr, _ := w.Dir.Addr("mda."+p.Domain, netmap.LMTP.Port)
	res := w.roomResolver(host)
	return mx.New(mx.Options{Hostname: host, Domain: p.Domain, Users: p.Store, LMTPAddr: lmtpAddr,
		Dial: w.dialerFor(host), TLSConfig: cfg, MaxMessageBytes: int64(policy.MXSizeLimit), Now: w.opts.Now,
		MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts(),
		AuthChecks: policy.Checks(), LookupTXT: res.LookupTXT, LookupMX: res.LookupMX, LookupA: res.LookupA,
		Policy:         mp,
		PublicSuffixes: []string{w.opts.Room.Zone}}) // each classmate is an organisation of its own
}

func (w *World) startRoomQueue(p *Provider) error {
	r := w.opts.Room
	host := "smtp." + p.Domain
	policy := w.providerSpec(p.Domain).Policy
	retry := r.Retry
	if policy.QueueLifetime != nil || retry.MaxAge == 0 {
		retry.MaxAge = policy.Lifetime()
	}
	q, err := mta.New(mta.Options{Hostname: host, LocalDomain: p.Domain, Resolver: w.roomResolver(host),
		Dial: w.roomDial(host, netmap.Classmate), SMTPPort: func(string) int { return netmap.SMTP.Port + r.PortOffset },
		TLSConfig: w.roomClientTLS, Bounce: bounceInto(p.Store, w.opts.Now), AutoRun: true, Clock: w.opts.Clock,
		RequireTLS: policy.RequireOutgoingTLS(),
		Retry:      retry, Refuse: func(d string) string { return RoomRefusal(r.Zone, r.Domain, d) }})
	if err != nil {
		return err
	}
	p.Queue = q
	w.addCloser(q)
	return nil
}

// newRoomMSA builds the room provider's MSA as its policy is now (newMSA
// for the room): AUTH before TLS or not; it signs with the student's own
// key, whose public half the room DNS publishes.
func (w *World) newRoomMSA(p *Provider) (*msa.Server, error) {
	host := "smtp." + p.Domain
	cfg, err := w.serverTLS(host)
	if err != nil {
		return nil, err
	}
	return msa.New(msa.Options{Hostname: host, Domain: p.Domain, Auth: p.Store.CheckPassword,
		TLSConfig: cfg, Queue: p.Queue, AllowInsecureAuth: w.insecureAuth(p.Domain), AuthFailureDelay: w.opts.authFailureDelay(),
		Penalty: w.penalty, MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts(),
		DKIM: &msa.DKIM{Domain: p.Domain, Selector: p.selector, Key: p.DKIMKey}, Now: w.opts.Now})
}

// roomDial connects host from the LAN address to a machine of the room
// (remote: netmap.RoomDNS or netmap.Classmate) and taps the connection
// on this side: a datagram is one event each way, a TCP connection is
// tapped as the remote server's, line by line, as a server of the world
// is.
func (w *World) roomDial(host, remote string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: 30 * time.Second}
		ip := net.ParseIP(w.opts.Room.Bind)
		if strings.HasPrefix(network, "udp") {
			d.LocalAddr = &net.UDPAddr{IP: ip}
		} else {
			d.LocalAddr = &net.TCPAddr{IP: ip}
		}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil || w.opts.NoTap {
			return c, err
		}
		if strings.HasPrefix(network, "udp") {
			return w.tapDatagrams(c, host, remote), nil
		}
		if remote == netmap.RoomDNS {
			return c, nil // a truncated answer asked again over TCP: the UDP query before it is in the transcript
		}
		return w.tapOutgoing(c, host, wire.Service{Node: remote, Proto: "smtp", Port: netmap.SMTP.Port}), nil
	}
}

// tapOutgoing taps a connection this world's client made to a server
// elsewhere: the client talks to one end of a pipe, the other end is
// tapped as the server's side of a world's connection and joined to the
// real socket.
func (w *World) tapOutgoing(real net.Conn, client string, svc wire.Service) net.Conn {
	mine, theirs := net.Pipe()
	server := &addrConn{Conn: theirs, local: real.RemoteAddr(), remote: real.LocalAddr()}
	l := wire.Listen(&oneListener{c: server}, svc, w.Conductor, func(string) string { return client }, &lateSecrets{log: w.CA.KeyLog})
	tapped, _ := l.Accept()
	var once sync.Once
	closeAll := func() {
		once.Do(func() {
			real.Close()
			tapped.Close()
		})
	}
	go func() { copyRecords(tapped, real); closeAll() }()
	go func() { io.Copy(real, tapped); closeAll() }()
	return wire.NewTimedConn(&addrConn{Conn: mine, local: real.LocalAddr(), remote: real.RemoteAddr()}, w.Conductor.HeldClock)
}

// copyRecords copies the server's bytes to the tap one TLS record at a
// time: the client learns the secret of the next record from the one
// before (lateSecrets), so the tap must not take them in one read.
// Server replies before STARTTLS start with a digit, never a record type.
func copyRecords(dst io.Writer, src io.Reader) error {
	r := bufio.NewReaderSize(src, 32<<10)
	buf := make([]byte, 32<<10)
	for {
		b, err := r.Peek(1)
		if err != nil {
			return err
		}
		n := 0
		if b[0] >= 20 && b[0] <= 23 {
			h, err := r.Peek(5)
			if err != nil {
				return err
			}
			rec := make([]byte, 5+int(binary.BigEndian.Uint16(h[3:5])))
			if n, err = io.ReadFull(r, rec); err != nil {
				return err
			}
			if _, err := dst.Write(rec); err != nil {
				return err
			}
			continue
		}
		if n, err = r.Read(buf); err != nil {
			return err
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return err
		}
	}
}

// addrConn gives a pipe's end the addresses of the socket it stands for.
type addrConn struct {
	net.Conn
	local, remote net.Addr
}

func (c *addrConn) LocalAddr() net.Addr  { return c.local }
func (c *addrConn) RemoteAddr() net.Addr { return c.remote }

// oneListener hands out one connection.
type oneListener struct {
	c    net.Conn
	used bool
}

func (l *oneListener) Accept() (net.Conn, error) {
	if l.used {
		return nil, net.ErrClosed
	}
	l.used = true
	return l.c, nil
}
func (l *oneListener) Close() error   { return nil }
func (l *oneListener) Addr() net.Addr { return l.c.LocalAddr() }

// tapDatagrams taps a client's UDP socket to a remote DNS server: each
// query and each answer is one event, held at the gate.
func (w *World) tapDatagrams(c net.Conn, client, server string) net.Conn {
	ctx, cancel := context.WithCancel(context.Background())
	return &datagramTap{Conn: c, w: w, client: client, server: server, ctx: ctx, cancel: cancel}
}

type datagramTap struct {
	net.Conn
	w              *World
	client, server string
	ctx            context.Context
	cancel         context.CancelFunc
	id             uint64
}

func (t *datagramTap) event(dir event.Dir, b []byte) *event.Event {
	return &event.Event{Kind: event.KindPacket, Conn: t.id, Client: t.client, Server: t.server,
		Proto: "dns", Port: netmap.DNS.Port, Addr: t.Conn.RemoteAddr().String(),
		ClientAddr: t.Conn.LocalAddr().String(), Dir: dir, Text: describeDNS(b), Raw: append([]byte(nil), b...)}
}

func (t *datagramTap) Write(b []byte) (int, error) {
	t.id = t.w.Conductor.NextConnID()
	if err := t.w.Conductor.Gate(t.ctx, t.event(event.ClientToServer, b)); err != nil {
		return 0, err
	}
	return t.Conn.Write(b)
}

func (t *datagramTap) Read(b []byte) (int, error) {
	n, err := t.Conn.Read(b)
	if n > 0 {
		if gerr := t.w.Conductor.Gate(t.ctx, t.event(event.ServerToClient, b[:n])); gerr != nil {
			return 0, gerr
		}
	}
	return n, err
}

func (t *datagramTap) Close() error {
	t.cancel()
	return t.Conn.Close()
}

// lateSecrets finds the secrets of a TLS session this side is the
// client of. The client logs a secret only once it has read the record
// before the ones it opens (the ServerHello, the server's Finished), and
// the tap sees those records first: it waits for the secret, briefly and
// once per secret, while the client catches up.
type lateSecrets struct {
	log    *pki.KeyLog
	mu     sync.Mutex
	missed map[string]bool
}

// secretWait bounds the wait for one secret.
const secretWait = 2 * time.Second

func (s *lateSecrets) Secret(random []byte, label string) []byte {
	key := string(random) + label
	s.mu.Lock()
	missed := s.missed[key]
	s.mu.Unlock()
	if missed {
		return nil
	}
	deadline := time.Now().Add(secretWait)
	for {
		if b := s.log.Secret(random, label); b != nil {
			return b
		}
		if time.Now().After(deadline) {
			s.mu.Lock()
			if s.missed == nil {
				s.missed = map[string]bool{}
			}
			s.missed[key] = true
			s.mu.Unlock()
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}
