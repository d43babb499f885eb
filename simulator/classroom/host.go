package classroom

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"maillab/simulator/dns"
	"maillab/simulator/limits"
	"maillab/simulator/pki"
	"maillab/simulator/world"
)

// HostOptions configure a room host.
type HostOptions struct {
	Room string // the room's name: its zone is <Room>.test (default "room")
	// Bind is the host's LAN address: the room DNS and the join service
	// listen there, and students reach them there. Required.
	Bind string
	Code string // the room code ("": a new one, NewCode)
	// JoinPort is the join service's port (0: DefaultJoinPort; negative:
	// any free port, for tests).
	JoinPort int
	// DNSPort is the room DNS server's port (0: 53, and 10053 where 53
	// cannot be bound; negative: any free port, for tests).
	DNSPort int
	// PortOffset moves every student's services above the well-known
	// ports (0: DefaultPortOffset); WellKnownPorts keeps them at 25,
	// 587, … where every student may bind them.
	PortOffset     int
	WellKnownPorts bool
	MaxStudents    int           // 0: 100
	TTL            time.Duration // the zone's TTL (0: 30 s: a room changes fast)
	// Heartbeat is how often students say they are still there (0:
	// DefaultHeartbeat); the host checks every Heartbeat who has been
	// silent for MissedBeats of them (CheckPresence).
	Heartbeat time.Duration
	// Now is the host's clock (nil: time.Now); tests move it and call
	// CheckPresence instead of waiting.
	Now func() time.Time
	// Watch, when set, hears of every change to the room map, in order,
	// outside the host's lock (the command line prints them).
	Watch func(Change)
}

// Change is one change to the room map: a provider joined or left, or
// a delivery event arrived.
type Change struct {
	Kind     string    `json:"kind"` // joined, left, event, challenge, withdrawn, solved
	Provider *Provider `json:"provider,omitempty"`
	Event    *Event    `json:"event,omitempty"`
	// Challenge is the room's challenge handed out or withdrawn, or the
	// one Provider solved (without its file).
	Challenge *Challenge `json:"challenge,omitempty"`
}

// Kinds of Change.
const (
	Joined = "joined"
	Left   = "left"
	Report = "event"
	// Silent: a provider stopped answering (Provider.Silent); Back: it
	// answers again.
	Silent = "silent"
	Back   = "back"
)

// maxEvents is how many delivery events the room map keeps.
const maxEvents = 10000

// Host is a running room.
type Host struct {
	opts  HostOptions
	zone  string
	code  string
	ca    *pki.CA
	ports Ports

	dnsSrv  *dns.Server
	dnsAddr string
	http    *http.Server
	joinURL string
	penalty *limits.Penalty
	done    sync.WaitGroup
	stop    chan struct{} // closed by Close: the presence check ends

	watchMu sync.Mutex // keeps Watch calls in order, one at a time

	mu       sync.Mutex
	students map[string]*student // by name: in the room DNS
	// pending are students whose join was accepted but whose servers are
	// not up yet (POST /ready publishes them), by name: a second Maillab
	// on one machine whose ports are taken never replaces the first.
	pending map[string]*student
	events  []Event
	closed  bool
	// The room's challenge (challenge.go): round counts hand-outs and
	// withdrawals; solved are the names that solved this round's.
	round     int
	challenge Challenge
	solved    map[string]bool
}

type student struct {
	Provider
	token string
	dkim  string // the DKIM key record
	// records are the SPF, DKIM and DMARC records published for it:
	// DefaultRecords on joining, then what it published (/records).
	records Records
	due     time.Time // the event bucket is empty again then
	seen    time.Time // its last word: joined, ready, a report, a heartbeat
}

// StartHost starts a room: its DNS server and join service on opts.Bind.
func StartHost(opts HostOptions) (*Host, error) {
	if opts.Room == "" {
		opts.Room = "room"
	}
	if err := CheckName("room", opts.Room); err != nil {
		return nil, fmt.Errorf("classroom: %w", err)
	}
	ip := net.ParseIP(opts.Bind)
	if ip == nil || ip.To4() == nil || ip.IsUnspecified() {
		return nil, fmt.Errorf("classroom: the host needs the IPv4 address students reach it at, not %q", opts.Bind)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxStudents <= 0 {
		opts.MaxStudents = 100
	}
	if opts.TTL <= 0 {
		opts.TTL = 30 * time.Second
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	offset := opts.PortOffset
	if opts.WellKnownPorts {
		offset = 0
	} else if offset <= 0 {
		offset = DefaultPortOffset
	}
	code := opts.Code
	if code == "" {
		code = NewCode()
	}
	if len(normalCode(code)) < 4 {
		return nil, fmt.Errorf("classroom: a room code needs at least 4 letters or digits, not %q", code)
	}
	zone := opts.Room + "." + TLD
	ca, err := pki.NewRoomCA(zone)
	if err != nil {
		return nil, err
	}
	h := &Host{opts: opts, zone: zone, code: code, ca: ca, ports: PortPlan(offset),
		students: map[string]*student{}, pending: map[string]*student{}, solved: map[string]bool{}, penalty: &limits.Penalty{Delay: time.Second, LockAfter: 10, Now: opts.Now},
		stop: make(chan struct{})}
	if err := h.startDNS(); err != nil {
		return nil, err
	}
	if err := h.startJoin(); err != nil {
		h.Close()
		return nil, err
	}
	h.done.Add(1)
	go h.checkPresence()
	return h, nil
}

// checkPresence runs CheckPresence every heartbeat until Close.
func (h *Host) checkPresence() {
	defer h.done.Done()
	t := time.NewTicker(h.opts.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			h.CheckPresence()
		case <-h.stop:
			return
		}
	}
}

// CheckPresence marks every provider whose last word is older than
// MissedBeats heartbeats as not answering (a Silent change each). The
// host runs it every heartbeat.
func (h *Host) CheckPresence() {
	now := h.opts.Now()
	var changes []Change
	h.mu.Lock()
	for _, s := range h.students {
		if !s.Silent && now.Sub(s.seen) > MissedBeats*h.opts.Heartbeat {
			s.Silent = true
			p := s.Provider
			changes = append(changes, Change{Kind: Silent, Provider: &p})
		}
	}
	h.mu.Unlock()
	slices.SortFunc(changes, func(a, b Change) int { return strings.Compare(a.Provider.Name, b.Provider.Name) })
	h.notify(changes...)
}

// heard notes a word from s: a provider not answering answers again.
func (h *Host) heard(s *student) {
	h.mu.Lock()
	s.seen = h.opts.Now()
	back := s.Silent && h.students[s.Name] == s
	s.Silent = false
	p := s.Provider
	h.mu.Unlock()
	if back {
		h.notify(Change{Kind: Back, Provider: &p})
	}
}

func (h *Host) handleAlive(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, false)
	if s == nil {
		return
	}
	h.heard(s)
	w.WriteHeader(http.StatusNoContent)
}

// Zone is the room's DNS zone, room42.test.
func (h *Host) Zone() string { return h.zone }

// Code is the room code students type.
func (h *Host) Code() string { return h.code }

// JoinAddress is where students join: ip:port.
func (h *Host) JoinAddress() string { return strings.TrimPrefix(h.joinURL, "http://") }

// DNSAddress is the room DNS server's ip:port.
func (h *Host) DNSAddress() string { return h.dnsAddr }

// Ports is the room's port plan.
func (h *Host) Ports() Ports { return h.ports }

// CAPEM is the room CA certificate.
func (h *Host) CAPEM() []byte { return h.ca.PEM() }

func (h *Host) startDNS() error {
	h.dnsSrv = dns.New(dns.Options{Zone: h.zoneData()})
	ports := []int{53, 10053}
	switch {
	case h.opts.DNSPort < 0:
		ports = []int{0}
	case h.opts.DNSPort > 0:
		ports = []int{h.opts.DNSPort}
	}
	var errs []error
	for _, port := range ports {
		pc, l, err := listenBoth(h.opts.Bind, port)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		h.dnsAddr = pc.LocalAddr().String()
		h.done.Add(2)
		go func() { defer h.done.Done(); h.dnsSrv.ServePacket(pc) }()
		go func() { defer h.done.Done(); h.dnsSrv.Serve(l) }()
		return nil
	}
	return fmt.Errorf("classroom: room DNS: %w", errors.Join(errs...))
}

// listenBoth listens on UDP and TCP at the same port (port 0: a free one
// for both, tried a few times).
func listenBoth(ip string, port int) (net.PacketConn, net.Listener, error) {
	var last error
	for range 20 {
		pc, err := net.ListenPacket("udp4", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			return nil, nil, err
		}
		l, err := net.Listen("tcp4", pc.LocalAddr().String())
		if err == nil {
			return pc, l, nil
		}
		pc.Close()
		last = err
		if port != 0 {
			break
		}
	}
	return nil, nil, last
}

func (h *Host) startJoin() error {
	port := h.opts.JoinPort
	switch {
	case port == 0:
		port = DefaultJoinPort
	case port < 0:
		port = 0
	}
	l, err := net.Listen("tcp4", net.JoinHostPort(h.opts.Bind, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("classroom: join service: %w", err)
	}
	h.joinURL = "http://" + l.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /join", h.handleJoin)
	mux.HandleFunc("POST /ready", h.handleReady)
	mux.HandleFunc("POST /leave", h.handleLeave)
	mux.HandleFunc("POST /events", h.handleEvents)
	mux.HandleFunc("POST /alive", h.handleAlive)
	mux.HandleFunc("POST /records", h.handleRecords)
	mux.HandleFunc("POST /challenge", h.handleChallenge)
	mux.HandleFunc("POST /solved", h.handleSolved)
	mux.HandleFunc("GET /map", h.handleMap)
	mux.HandleFunc("GET /{$}", h.handleHome)
	h.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	h.done.Add(1)
	go func() { defer h.done.Done(); h.http.Serve(limitListener(l, limits.NewConns(200, 8))) }()
	return nil
}

// Close stops the join service and the room DNS.
func (h *Host) Close() error {
	h.mu.Lock()
	if !h.closed {
		close(h.stop)
	}
	h.closed = true
	h.mu.Unlock()
	if h.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		h.http.Shutdown(ctx)
		cancel()
		h.http.Close()
	}
	h.dnsSrv.Close()
	h.done.Wait()
	return nil
}

// Map is the room map now: every provider and the latest events.
func (h *Host) Map() Map {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := Map{Room: h.opts.Room, Zone: h.zone, Providers: []Provider{}, Events: slices.Clone(h.events)}
	for _, s := range h.students {
		p := s.Provider
		p.Solved = h.solved[s.Name]
		m.Providers = append(m.Providers, p)
	}
	if !h.challenge.None() {
		c := h.challenge
		c.File = "" // the map shows the title; students get the file
		m.Challenge = &c
	}
	slices.SortFunc(m.Providers, func(a, b Provider) int { return strings.Compare(a.Name, b.Name) })
	if m.Events == nil {
		m.Events = []Event{}
	}
	return m
}

// zoneData is the room's zone with every student's records; h.mu is
// held or the host is not serving yet.
func (h *Host) zoneData() dns.Zone {
	z := dns.Zone{Origins: []string{h.zone}, MX: map[string][]dns.MX{}, A: map[string][]net.IP{},
		TXT: map[string][]string{}, SRV: map[string][]dns.SRV{}, TTL: uint32(h.opts.TTL / time.Second)}
	z.A["ns."+h.zone] = []net.IP{net.ParseIP(h.opts.Bind)}
	for _, s := range h.students {
		d, ip := s.Domain, net.ParseIP(s.Address)
		mx, smtp, mail := "mx."+d, "smtp."+d, "mail."+d
		z.MX[d] = []dns.MX{{Pref: 10, Host: mx}}
		for _, n := range []string{d, mx, smtp, mail} {
			z.A[n] = []net.IP{ip}
		}
		// SPF (RFC 7208), the DKIM key (RFC 6376) and DMARC (RFC 7489):
		// DefaultRecords, or what the student published.
		for name, rec := range map[string]string{d: s.records.SPF, Selector + "._domainkey." + d: s.records.DKIM, "_dmarc." + d: s.records.DMARC} {
			if rec != "" {
				z.TXT[name] = []string{rec}
			}
		}
		// Where the services really listen (RFC 6186, RFC 8314; _smtp is
		// the classroom's own: SMTP between servers knows no SRV).
		for _, r := range []struct {
			svc, host string
			port      int
		}{{"_smtp", mx, h.ports.SMTP}, {"_submission", smtp, h.ports.Submission}, {"_submissions", smtp, h.ports.Submissions},
			{"_imap", mail, h.ports.IMAP}, {"_imaps", mail, h.ports.IMAPS}, {"_pop3", mail, h.ports.POP3}, {"_pop3s", mail, h.ports.POP3S}} {
			z.SRV[r.svc+"._tcp."+d] = []dns.SRV{{Priority: 0, Weight: 1, Port: uint16(r.port), Target: r.host}}
		}
	}
	return z
}

// notify tells Watch of changes; h.mu is not held.
func (h *Host) notify(changes ...Change) {
	if h.opts.Watch == nil {
		return
	}
	h.watchMu.Lock()
	defer h.watchMu.Unlock()
	for _, c := range changes {
		h.opts.Watch(c)
	}
}

// refuse answers a request with a status and an ErrorReply.
func refuse(w http.ResponseWriter, status int, reason, format string, args ...any) {
	writeJSON(w, status, ErrorReply{Reason: reason, Message: fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// maxBody bounds every request body: a CSR and a DKIM key are a few KiB.
const maxBody = 64 << 10

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		refuse(w, http.StatusBadRequest, "bad-request", "the request is not the JSON the join service expects: %v", err)
		return false
	}
	return true
}

func peerIP(r *http.Request) string {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

// codeOK checks the room code, with a growing pause and then a lock for
// an address that keeps guessing (limits.Penalty, as for passwords).
func (h *Host) codeOK(w http.ResponseWriter, r *http.Request, code string) bool {
	peer := peerIP(r)
	if h.penalty.Locked(peer) {
		refuse(w, http.StatusTooManyRequests, "locked", "too many wrong room codes from %s: wait a few minutes, then type the code the teacher shows", peer)
		return false
	}
	if subtle.ConstantTimeCompare([]byte(normalCode(code)), []byte(normalCode(h.code))) != 1 {
		if d := h.penalty.Fail(peer); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
		}
		refuse(w, http.StatusForbidden, "wrong-code", "wrong room code: type the code the teacher shows")
		return false
	}
	return true
}

func (h *Host) handleJoin(w http.ResponseWriter, r *http.Request) {
	var req JoinRequest
	if !decode(w, r, &req) || !h.codeOK(w, r, req.Code) {
		return
	}
	if err := CheckName("student", req.Name); err != nil {
		refuse(w, http.StatusBadRequest, "bad-name", "%v", err)
		return
	}
	ip := net.ParseIP(req.Address)
	if ip == nil || ip.To4() == nil || ip.IsUnspecified() {
		refuse(w, http.StatusBadRequest, "bad-address", "%q is no IPv4 address a classmate can reach", req.Address)
		return
	}
	if peer := peerIP(r); !ip.Equal(net.ParseIP(peer)) {
		refuse(w, http.StatusForbidden, "address-mismatch", "you asked from %s to be %s: a student joins from the address its servers listen on", peer, req.Address)
		return
	}
	dkim, err := dkimRecord(req.DKIMKey)
	if err != nil {
		refuse(w, http.StatusBadRequest, "bad-dkim-key", "%v", err)
		return
	}
	domain := req.Name + "." + h.zone
	cert, err := h.ca.SignCSR([]byte(req.CSR), []string{"mx." + domain, "smtp." + domain, "mail." + domain, domain}, []net.IP{ip})
	if err != nil {
		refuse(w, http.StatusBadRequest, "bad-csr", "%v", err)
		return
	}
	s := &student{Provider: Provider{Name: req.Name, Domain: domain, Address: ip.String(), Joined: h.opts.Now()},
		token: newToken(), dkim: dkim, records: DefaultRecords(req.Address, dkim)}
	h.mu.Lock()
	if reason, msg := h.admitLocked(s); reason != "" {
		h.mu.Unlock()
		status := http.StatusConflict
		if reason == "room-full" {
			status = http.StatusServiceUnavailable
		}
		refuse(w, status, reason, "%s", msg)
		return
	}
	h.pending[s.Name] = s
	c := h.challenge
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, JoinReply{Zone: h.zone, Domain: domain, Account: req.Name + "@" + domain,
		CA: string(h.ca.PEM()), Certificate: string(cert), DNS: h.dnsAddr, Ports: h.ports, Selector: Selector, Token: s.token,
		HeartbeatMS: h.opts.Heartbeat.Milliseconds(), Challenge: c})
}

// admitLocked says why s may not join ("" if it may). A name comes back
// from the address it had (a student whose Maillab stopped): that
// replaces the old entry.
func (h *Host) admitLocked(s *student) (reason, msg string) {
	if h.closed {
		return "closed", "the room is closed"
	}
	for name, p := range h.pending {
		if h.opts.Now().Sub(p.Joined) > pendingFor {
			delete(h.pending, name) // never came up
		}
	}
	for _, m := range []map[string]*student{h.students, h.pending} {
		if old, ok := m[s.Name]; ok && old.Address != s.Address {
			return "name-taken", fmt.Sprintf("the name %s is taken in this room (by %s): choose another", s.Name, old.Address)
		}
		for _, o := range m {
			if o.Address == s.Address && o.Name != s.Name {
				return "address-taken", fmt.Sprintf("%s is in the room already as %s: one provider per machine", s.Address, o.Name)
			}
		}
	}
	_, back := h.students[s.Name]
	_, waiting := h.pending[s.Name]
	if !back && !waiting && len(h.students)+len(h.pending) >= h.opts.MaxStudents {
		return "room-full", fmt.Sprintf("the room is full (%d providers)", h.opts.MaxStudents)
	}
	return "", ""
}

// pendingFor is how long a join waits for its servers (POST /ready).
const pendingFor = 2 * time.Minute

// dkimRecord checks a student's DKIM public key and makes its record.
func dkimRecord(b64 string) (string, error) {
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("the DKIM key is not base64: %v", err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return "", fmt.Errorf("the DKIM key is no public key: %v", err)
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return world.DKIMRecord(k)
	case *rsa.PublicKey:
		if k.N.BitLen() >= 1024 && k.N.BitLen() <= 4096 {
			return world.DKIMRecord(k)
		}
	}
	return "", errors.New("the DKIM key must be Ed25519 (RFC 8463) or RSA of 1024 to 4096 bits (RFC 8301)")
}

// authorised finds the student whose token the request carries: in the
// room, or (pending too) one whose servers are starting.
func (h *Host) authorised(w http.ResponseWriter, r *http.Request, pending bool) *student {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if ok {
		h.mu.Lock()
		defer h.mu.Unlock()
		maps := []map[string]*student{h.students}
		if pending {
			maps = append(maps, h.pending)
		}
		for _, m := range maps {
			for _, s := range m {
				if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1 {
					return s
				}
			}
		}
	}
	refuse(w, http.StatusUnauthorized, "not-joined", "this provider is not in the room: join first")
	return nil
}

// handleReady publishes a student whose servers are up: its records go
// into the room DNS, replacing those of the same name and address.
func (h *Host) handleReady(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, true)
	if s == nil {
		return
	}
	h.mu.Lock()
	if h.pending[s.Name] != s {
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent) // published already
		return
	}
	delete(h.pending, s.Name)
	s.seen = h.opts.Now()
	h.students[s.Name] = s
	h.dnsSrv.SetZone(h.zoneData())
	h.mu.Unlock()
	p := s.Provider
	h.notify(Change{Kind: Joined, Provider: &p})
	w.WriteHeader(http.StatusNoContent)
}

func (h *Host) handleLeave(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, true)
	if s == nil {
		return
	}
	h.mu.Lock()
	if h.pending[s.Name] == s {
		delete(h.pending, s.Name)
	}
	gone := h.students[s.Name] == s
	if gone {
		delete(h.students, s.Name)
		h.dnsSrv.SetZone(h.zoneData())
	}
	h.mu.Unlock()
	if gone {
		p := s.Provider
		h.notify(Change{Kind: Left, Provider: &p})
	}
	w.WriteHeader(http.StatusNoContent)
}

// Event limits: a report carries at most maxReport events, and one
// student may report about eventRate per second, in bursts of maxReport.
const (
	maxReport = 100
	eventRate = 50
)

func (h *Host) handleEvents(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, false)
	if s == nil {
		return
	}
	var in struct {
		Events []Event `json:"events"`
	}
	if !decode(w, r, &in) {
		return
	}
	h.heard(s)
	if len(in.Events) > maxReport {
		refuse(w, http.StatusRequestEntityTooLarge, "too-many-events", "at most %d events in one report", maxReport)
		return
	}
	now := h.opts.Now()
	for _, e := range in.Events {
		if e.From != s.Domain {
			refuse(w, http.StatusForbidden, "not-your-event", "a provider reports only its own deliveries (from %s)", s.Domain)
			return
		}
		if len(e.To) > 253 || len(e.Status) > 16 || !slices.Contains([]string{Delivered, Deferred, Bounced}, e.Outcome) {
			refuse(w, http.StatusBadRequest, "bad-event", "an event has a domain, an outcome (delivered, deferred, bounced) and a status code")
			return
		}
	}
	h.mu.Lock()
	// A token bucket per student: eventRate a second, maxReport at once.
	due := s.due
	if due.Before(now) {
		due = now
	}
	due = due.Add(time.Duration(len(in.Events)) * time.Second / eventRate)
	if due.Sub(now) > maxReport*time.Second/eventRate {
		h.mu.Unlock()
		refuse(w, http.StatusTooManyRequests, "too-fast", "too many events: at most %d a second", eventRate)
		return
	}
	s.due = due
	changes := make([]Change, 0, len(in.Events))
	for _, e := range in.Events {
		if e.Time.IsZero() || e.Time.Sub(now).Abs() > time.Hour {
			e.Time = now // a clock far off would scatter the map
		}
		e.To = strings.ToLower(e.To)
		h.events = append(h.events, e)
		changes = append(changes, Change{Kind: Report, Event: &e})
	}
	if n := len(h.events) - maxEvents; n > 0 {
		h.events = slices.Delete(h.events, 0, n)
	}
	h.mu.Unlock()
	h.notify(changes...)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Host) handleMap(w http.ResponseWriter, r *http.Request) {
	if !h.codeOK(w, r, r.URL.Query().Get("code")) {
		return
	}
	writeJSON(w, http.StatusOK, h.Map())
}
