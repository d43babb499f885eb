package classroom

import (
	"crypto"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"maillab/simulator/dns"
	"maillab/simulator/imap"
	"maillab/simulator/mda"
	"maillab/simulator/msa"
	"maillab/simulator/mta"
	"maillab/simulator/mx"
	"maillab/simulator/netmap"
	"maillab/simulator/pop3"
	"maillab/simulator/store"
	"maillab/simulator/world"
)

// start starts the provider's servers: the MDA on loopback, the MX, MSA,
// POP3 and IMAP on the student's LAN address at the room's ports.
func (s *Student) start(dkimKey crypto.Signer) error {
	now := s.opts.Now
	s.Store = store.New(s.Domain)
	if err := s.Store.AddUser(s.Account, s.Password); err != nil {
		return err
	}
	resolver := dns.NewResolver(s.DNS, s.dial)
	var d net.Dialer

	// MDA: LMTP on loopback only; the MX hands it every message.
	m, err := mda.New(mda.Options{Hostname: s.hostName("mda"), Store: world.MDAStore(s.Store), Now: now})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, m)
	lmtp, err := s.serve("127.0.0.1:0", nil, m.Serve)
	if err != nil {
		return err
	}

	mxHost := s.hostName("mx")
	mxSrv, err := mx.New(mx.Options{Hostname: mxHost, Domain: s.Domain, Users: s.Store, LMTPAddr: lmtp, Dial: d.DialContext,
		TLSConfig: s.issued.ServerConfig(mxHost), Now: now, AuthChecks: true, PublicSuffixes: []string{s.Zone},
		LookupTXT: resolver.LookupTXT, LookupMX: resolver.LookupMX, LookupA: resolver.LookupA})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, mxSrv)
	if _, err := s.serve(s.addr(netmap.SMTP), nil, mxSrv.Serve); err != nil {
		return err
	}

	smtpHost := s.hostName("smtp")
	q, err := mta.New(mta.Options{Hostname: smtpHost, LocalDomain: s.Domain, Resolver: resolver, Dial: s.dial,
		SMTPPort: func(string) int { return s.Ports.SMTP }, TLSConfig: s.issued.ClientConfig,
		Bounce: world.BounceInto(s.Store, now), Retry: s.opts.Retry, AutoRun: true, Refuse: s.refuse})
	if err != nil {
		return err
	}
	s.Queue = q
	s.closers = append(s.closers, q)

	msaSrv, err := msa.New(msa.Options{Hostname: smtpHost, Domain: s.Domain, Auth: s.Store.CheckPassword,
		TLSConfig: s.issued.ServerConfig(smtpHost), Queue: q, AuthFailureDelay: world.DefaultAuthFailureDelay,
		DKIM: &msa.DKIM{Domain: s.Domain, Selector: s.Selector, Key: dkimKey}, Now: now})
	if err != nil {
		return err
	}
	s.closers = append(s.closers, msaSrv)
	if err := s.serveAll(smtpHost, msaSrv.Serve, netmap.Submission, netmap.Submissions); err != nil {
		return err
	}

	mailHost := s.hostName("mail")
	cfg := s.issued.ServerConfig(mailHost)
	p := pop3.New(pop3.Options{Hostname: mailHost, Backend: world.POP3Backend(s.Store), TLSConfig: cfg, Now: now,
		RequireTLSForAuth: true, AuthFailureDelay: world.DefaultAuthFailureDelay})
	s.closers = append(s.closers, p)
	if err := s.serveAll(mailHost, p.Serve, netmap.POP3, netmap.POP3S); err != nil {
		return err
	}
	i := imap.New(imap.Options{Hostname: mailHost, Store: s.Store, TLSConfig: cfg, RequireTLS: true,
		AuthFailureDelay: world.DefaultAuthFailureDelay})
	s.closers = append(s.closers, i)
	return s.serveAll(mailHost, i.Serve, netmap.IMAP, netmap.IMAPS)
}

// refuse keeps mail inside the room: a domain outside its zone is never
// looked up, its recipients bounce with this explanation.
func (s *Student) refuse(domain string) string { return world.RoomRefusal(s.Zone, s.Domain, domain) }

// addr is where svc listens: the student's address, the room's port.
func (s *Student) addr(svc netmap.Service) string {
	return net.JoinHostPort(s.Bind, strconv.Itoa(s.Ports.Of(svc)))
}

// Addr is where the provider's service listens (for svc's well-known port).
func (s *Student) Addr(svc netmap.Service) string { return s.addr(svc) }

func (s *Student) serveAll(host string, serve func(net.Listener) error, svcs ...netmap.Service) error {
	for _, svc := range svcs {
		var cfg *tls.Config
		if svc.Implicit {
			cfg = s.issued.ServerConfig(host)
		}
		if _, err := s.serve(s.addr(svc), cfg, serve); err != nil {
			return fmt.Errorf("%s port %d: %w", host, s.Ports.Of(svc), err)
		}
	}
	return nil
}

// serve listens on addr (with implicit TLS when cfg is set) and runs
// serve on it until Close.
func (s *Student) serve(addr string, cfg *tls.Config, serve func(net.Listener) error) (string, error) {
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return "", err
	}
	s.closers = append(s.closers, l)
	var ln net.Listener = l
	if cfg != nil {
		ln = world.TLSListener(l, cfg, 0)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		serve(ln)
	}()
	return l.Addr().String(), nil
}

// shutdown closes every server and listener and waits for them.
func (s *Student) shutdown() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i].Close()
	}
	s.wg.Wait()
}
