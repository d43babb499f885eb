package world

import (
	"context"
	"crypto"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"maillab/simulator/imap"
	"maillab/simulator/mail"
	"maillab/simulator/mda"
	"maillab/simulator/msa"
	"maillab/simulator/mta"
	"maillab/simulator/mx"
	"maillab/simulator/netmap"
	"maillab/simulator/pop3"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// Provider is one mail provider's complete set of servers.
type Provider struct {
	Domain string
	Store  *store.Store
	Queue  *mta.Queue
	MSA    *msa.Server
	MX     *mx.Server
	MDA    *mda.Server
	POP3   *pop3.Server
	IMAP   *imap.Server
	// DKIMKey signs this provider's outgoing mail; its public half is in DNS.
	DKIMKey crypto.Signer

	selector string // the DKIM selector the MSA signs with
}

func (w *World) startProvider(domain string) (*Provider, error) {
	p := &Provider{Domain: domain, Store: store.New(domain)}
	ps := w.providerSpec(domain)
	if q := ps.Policy.MailboxQuota; q != 0 {
		p.Store.SetQuota(int64(q)) // negative: no limit
	}
	for _, a := range ps.Accounts {
		if err := addAccount(p.Store, a); err != nil {
			return nil, err
		}
	}
	key, err := w.dkimKeys.For(domain, ps.DKIMAlgorithm())
	if err != nil {
		return nil, err
	}
	p.DKIMKey = key // its public half is in DNS unless the spec publishes another
	steps := []func(*Provider) error{w.startMDA, w.startMX, w.startQueue, w.startMSA, w.startMailboxes}
	for _, step := range steps {
		if err := step(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (w *World) startMDA(p *Provider) error {
	host := "mda." + p.Domain
	s, err := mda.New(mda.Options{Hostname: host, Store: mdaStore{p.Store}, Now: w.opts.Now})
	if err != nil {
		return err
	}
	p.MDA = s
	w.addCloser(s)
	return w.serveOn(host, netmap.LMTP, s.Serve)
}

func (w *World) startMX(p *Provider) error {
	s, err := w.newMX(p)
	if err != nil {
		return err
	}
	p.MX = s
	w.addCloser(s)
	return w.serveOn("mx."+p.Domain, netmap.SMTP, s.Serve)
}

// newMX builds p's MX as the spec has its policy now.
func (w *World) newMX(p *Provider) (*mx.Server, error) {
	host := "mx." + p.Domain
	if w.roomHost(host) {
		return w.newRoomMX(p)
	}
	cfg, err := w.serverTLS(host)
	if err != nil {
		return nil, err
	}
	lmtpAddr, _ := w.Dir.Addr("mda."+p.Domain, netmap.LMTP.Port)
	policy := w.providerSpec(p.Domain).Policy
	if policy.StartTLS() == worldspec.TLSOff {
		cfg = nil // no STARTTLS in EHLO: senders deliver in the clear
	}
	r := w.txtResolver(host)
	return mx.New(mx.Options{Hostname: host, Domain: p.Domain, Users: p.Store, LMTPAddr: lmtpAddr,
		Dial: w.dialerFor(host), TLSConfig: cfg, MaxMessageBytes: int64(policy.MXSizeLimit), Now: w.opts.Now,
		MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts(),
		AuthChecks: policy.Checks(), LookupTXT: r.LookupTXT,
		LookupMX: r.LookupMX, LookupA: r.LookupA,
		Policy: w.mxPolicy(policy), Relay: relayQueue{p}})
}

func (w *World) startQueue(p *Provider) error {
	host := "smtp." + p.Domain
	resolver := w.resolver(host)
	if w.opts.Clock != nil {
		resolver.SetClock(w.opts.Clock.Now) // retries hours apart ask DNS again
	}
	q, err := mta.New(mta.Options{Hostname: host, LocalDomain: p.Domain,
		Resolver: resolver,
		Dial:     w.mtaDial(host), SMTPPort: w.smtpPort, TLSConfig: w.tlsClient(host).Config,
		Bounce: bounceInto(p.Store, w.opts.Now), AutoRun: w.opts.AutoQueue, Clock: w.opts.Clock,
		RequireTLS: w.providerSpec(p.Domain).Policy.RequireOutgoingTLS(),
		Retry:      mta.Retry{MaxAge: w.providerSpec(p.Domain).Policy.Lifetime()}})
	if err != nil {
		return err
	}
	p.Queue = q
	w.addCloser(q)
	return nil
}

func (w *World) startMSA(p *Provider) error {
	s, err := w.newMSA(p)
	if err != nil {
		return err
	}
	p.MSA = s
	w.addCloser(s)
	host := "smtp." + p.Domain
	if err := w.serveOn(host, netmap.Submission, s.Serve); err != nil {
		return err
	}
	return w.serveOn(host, netmap.Submissions, s.Serve)
}

// newMSA builds p's MSA as the spec has it now: AUTH before TLS or not,
// the DKIM selector it signs with (p.selector) and its key for the DKIM
// algorithm (p.DKIMKey).
func (w *World) newMSA(p *Provider) (*msa.Server, error) {
	host := "smtp." + p.Domain
	if w.roomHost(host) {
		return w.newRoomMSA(p)
	}
	cfg, err := w.serverTLS(host)
	if err != nil {
		return nil, err
	}
	spec := w.providerSpec(p.Domain)
	p.selector = spec.Selector()
	if p.DKIMKey, err = w.dkimKeys.For(p.Domain, spec.DKIMAlgorithm()); err != nil {
		return nil, err
	}
	return msa.New(msa.Options{Hostname: host, Domain: p.Domain, Auth: p.Store.CheckPassword,
		TLSConfig: cfg, Queue: p.Queue, AllowInsecureAuth: w.insecureAuth(p.Domain), AuthFailureDelay: w.opts.authFailureDelay(),
		Penalty: w.penalty, MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts(),
		DKIM: &msa.DKIM{Domain: p.Domain, Selector: p.selector, Key: p.DKIMKey}, Now: w.opts.Now})
}

func (w *World) startMailboxes(p *Provider) error {
	pop, im, err := w.newMailboxes(p)
	if err != nil {
		return err
	}
	p.POP3, p.IMAP = pop, im
	w.addCloser(p.POP3)
	w.addCloser(p.IMAP)
	host := "mail." + p.Domain
	for _, svc := range []netmap.Service{netmap.POP3, netmap.POP3S} {
		if err := w.serveOn(host, svc, p.POP3.Serve); err != nil {
			return err
		}
	}
	for _, svc := range []netmap.Service{netmap.IMAP, netmap.IMAPS} {
		if err := w.serveOn(host, svc, p.IMAP.Serve); err != nil {
			return err
		}
	}
	return nil
}

// newMailboxes builds p's POP3 and IMAP servers as the spec has them now
// (a password before TLS or not).
func (w *World) newMailboxes(p *Provider) (*pop3.Server, *imap.Server, error) {
	host := "mail." + p.Domain
	cfg, err := w.serverTLS(host)
	if err != nil {
		return nil, nil, err
	}
	strict := !w.insecureAuth(p.Domain)
	pop := pop3.New(pop3.Options{Hostname: host, Backend: pop3Backend{p.Store}, TLSConfig: cfg, Now: w.opts.Now,
		RequireTLSForAuth: strict, AuthFailureDelay: w.opts.authFailureDelay(), Penalty: w.penalty,
		MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts()})
	im := imap.New(imap.Options{Hostname: host, Store: p.Store, TLSConfig: cfg, RequireTLS: strict,
		AuthFailureDelay: w.opts.authFailureDelay(), Penalty: w.penalty,
		MaxConns: w.opts.MaxConns, MaxConnsPerAddr: w.opts.MaxConnsPerAddr, Timeouts: w.opts.timeouts()})
	return pop, im, nil
}

// dialerFor returns a dial function that connects from host's address.
func (w *World) dialerFor(host string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return w.dialFrom(ctx, host, network, addr)
	}
}

// smtpPort is where an MX host really listens for port 25 in this run.
// A name that is no server of the world (a backup MX the spec adds) is
// reached at the port of the server whose plan address its A record
// gives, else at 25, where nothing of the world listens.
func (w *World) smtpPort(host string) int {
	addr, ok := w.Dir.Addr(host, netmap.SMTP.Port)
	if !ok {
		addr, ok = w.Dir.Addr(w.aliasOf(host), netmap.SMTP.Port)
	}
	if !ok {
		return netmap.SMTP.Port
	}
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	return n
}

// aliasOf is the world host a name's A record points at in the spec ("" if
// none): a second name for mx.example.net reaches mx.example.net.
func (w *World) aliasOf(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	w.specMu.RLock()
	defer w.specMu.RUnlock()
	for _, p := range w.spec.Providers {
		if p.DNS == nil {
			continue
		}
		for _, a := range p.DNS.A {
			if strings.EqualFold(strings.TrimSuffix(a.Name, "."), name) {
				if h := planHost(a.Address); h != "" {
					return h
				}
			}
		}
	}
	return ""
}

// mtaDial is the outgoing queue's dial: it reaches only the world's
// servers. An address where no server of the world listens (an MX host
// pointing nowhere) is refused at once, as a host without that service
// refuses, even if something outside the world listens there.
func (w *World) mtaDial(host string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	dial := w.dialerFor(host)
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !w.serves(addr) {
			return nil, &net.OpError{Op: "dial", Net: network, Addr: tcpAddr(addr), Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
		}
		return dial(ctx, network, addr)
	}
}

// serves reports whether a server of the world listens at addr.
func (w *World) serves(addr string) bool {
	ip, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	want := net.ParseIP(ip)
	for _, e := range w.Dir.Entries() {
		eip, eport, err := net.SplitHostPort(e.Addr)
		if err != nil || eport != port {
			continue
		}
		if got := net.ParseIP(eip); got != nil && (got.IsUnspecified() || got.Equal(want)) {
			return true
		}
	}
	return false
}

func tcpAddr(addr string) net.Addr {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil
	}
	return a
}

// mdaStore adapts the store to the MDA, which needs no message back.
type mdaStore struct{ st *store.Store }

func (m mdaStore) HasUser(addr string) bool { return m.st.HasUser(addr) }

func (m mdaStore) Users() []string { return m.st.Users() }

func (m mdaStore) Deliver(addr, mailbox string, raw []byte, flags []string, date time.Time) error {
	_, err := m.st.Deliver(addr, mailbox, raw, flags, date)
	return err
}

// bounceInto puts a DSN into the sender's INBOX on the sender's own
// provider, as its MDA would after local delivery.
func bounceInto(st *store.Store, now func() time.Time) func(env mail.Envelope, dsn []byte) error {
	return func(env mail.Envelope, dsn []byte) error {
		for _, rcpt := range env.To {
			if !st.HasUser(rcpt) {
				return fmt.Errorf("world: bounce for %s, who has no mailbox here", rcpt)
			}
			if _, err := st.Deliver(rcpt, store.Inbox, dsn, nil, now()); err != nil {
				return err
			}
		}
		return nil
	}
}

// insecureAuth reports whether domain's servers take a password before
// TLS: its MSA on 587, POP3 on 110 and IMAP on 143. Off by default, as a
// provider set up like Dovecot's and Postfix's defaults is.
func (w *World) insecureAuth(domain string) bool {
	return w.providerSpec(domain).Policy.PlaintextAuth
}
