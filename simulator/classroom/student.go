package classroom

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"maillab/simulator/mta"
	"maillab/simulator/pki"
	"maillab/simulator/store"
	"maillab/simulator/world"
)

// JoinOptions configure a student's provider.
type JoinOptions struct {
	Host string // the join address the teacher shows: "10.0.0.5" or "10.0.0.5:7625"
	Code string
	Name string // anna: the provider becomes anna.<room>.test
	// Bind is the student's LAN address, where its servers listen ("":
	// the address this machine reaches the host from).
	Bind     string
	Password string    // the account's password ("": NewPassword)
	Retry    mta.Retry // the queue's retry plan (zero: mta's default); tests make it short
	Now      func() time.Time
	// Timeout bounds each request to the join service (0: 15 s).
	Timeout time.Duration
	// Watch, when set, hears of each delivery event as it is reported.
	Watch func(Event)
	// OnChallenge, when set, hears of each change of the room's challenge
	// after the join (handed out, or withdrawn: None). It is called from
	// the poller, which Stop waits for: it must not block.
	OnChallenge func(Challenge)
	// ChallengePoll is how often to ask the host for the room's challenge
	// (0: DefaultChallengePoll).
	ChallengePoll time.Duration
}

// Student is a running classroom provider.
type Student struct {
	JoinReply
	Password string
	Bind     string

	opts    JoinOptions
	base    string // the join service's URL
	client  *http.Client
	issued  *pki.Issued
	dkimKey crypto.Signer

	Store *store.Store
	Queue *mta.Queue

	closers  []io.Closer
	wg       sync.WaitGroup
	events   chan Event
	stopRep  chan struct{}
	repDone  chan struct{}
	pollDone chan struct{}

	mu        sync.Mutex
	closed    bool
	reporting bool            // Ready started the reports
	records   Records         // published in the room DNS
	deferred  map[string]int  // id|rcpt → the attempt whose deferral was reported
	finished  map[string]bool // id|rcpt delivered or bounced, reported
	// solvedWant is a round whose "solved" is still to be reported,
	// solvedSent the last one the host took (challenge.go).
	solvedWant, solvedSent int
	// worldStore keeps the mail of the provider the worlds run (Room).
	worldStore *store.Store
}

// maxReply bounds an answer of the host: a challenge file and the rest.
const maxReply = MaxChallengeBytes + maxBody

// JoinError is a refusal of the join service.
type JoinError struct {
	Status int
	ErrorReply
}

func (e *JoinError) Error() string { return "classroom: " + e.Message }

// Join joins a room and starts the student's provider on its LAN address.
// Nothing listens before the host has accepted the student.
func Join(ctx context.Context, opts JoinOptions) (*Student, error) {
	s, err := Enrol(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := s.start(s.dkimKey); err != nil {
		s.shutdown()
		s.leave(ctx)
		return nil, fmt.Errorf("classroom: %s: %w", s.Domain, err)
	}
	if err := s.Ready(ctx, s.Queue); err != nil {
		s.shutdown()
		s.leave(ctx)
		return nil, err
	}
	return s, nil
}

// Enrol joins a room without starting a provider: the caller starts one
// from Room (a world with world.Options.Room) on the LAN address, then
// calls Ready. Until then the room DNS sends nobody here.
func Enrol(ctx context.Context, opts JoinOptions) (*Student, error) {
	base, err := JoinURL(opts.Host)
	if err != nil {
		return nil, err
	}
	if err := CheckName("student", opts.Name); err != nil {
		return nil, fmt.Errorf("classroom: %w", err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.Bind == "" {
		if opts.Bind, err = localAddrTowards(base); err != nil {
			return nil, err
		}
	}
	if opts.Password == "" {
		opts.Password = NewPassword()
	}
	s := &Student{Password: opts.Password, Bind: opts.Bind, opts: opts, base: base,
		deferred: map[string]int{}, finished: map[string]bool{}, events: make(chan Event, 1024), stopRep: make(chan struct{}), repDone: make(chan struct{}), pollDone: make(chan struct{})}
	s.client = &http.Client{Timeout: opts.Timeout, Transport: &http.Transport{DialContext: s.dial, Proxy: nil}}
	key, pub, err := newDKIM()
	if err != nil {
		return nil, err
	}
	s.dkimKey = key
	csr, certKey, err := pki.NewCSR("mx." + opts.Name)
	if err != nil {
		return nil, err
	}
	req := JoinRequest{Code: opts.Code, Name: opts.Name, Address: opts.Bind, CSR: string(csr),
		DKIMKey: pub}
	if err := s.call(ctx, "/join", req, &s.JoinReply); err != nil {
		return nil, err
	}
	if s.issued, err = pki.NewIssued([]byte(s.Certificate), certKey, []byte(s.CA)); err != nil {
		s.leave(ctx)
		return nil, err
	}
	rec, _ := dkimRecord(pub) // the host took it
	s.records = DefaultRecords(opts.Bind, rec)
	return s, nil
}

// Room is the provider the host gave the student, for a world to run.
// Every world started with it keeps the student's mail in one store for
// as long as she is in the room.
func (s *Student) Room() *world.RoomProvider {
	s.mu.Lock()
	if s.worldStore == nil {
		s.worldStore = store.New(s.Domain)
	}
	st := s.worldStore
	s.mu.Unlock()
	return &world.RoomProvider{Zone: s.Zone, Domain: s.Domain, Name: s.opts.Name, Account: s.Account,
		Password: s.Password, Cert: s.issued.Cert, CAs: s.issued.Pool, DNS: s.JoinReply.DNS, Bind: s.Bind,
		PortOffset: s.Ports.Offset, DKIMKey: s.dkimKey, Selector: s.Selector, Retry: s.opts.Retry, Store: st}
}

// Ready tells the host the provider's servers listen (the room DNS may
// send classmates here now) and reports q's deliveries to the room map
// until Stop. Called again with the queue of a provider started anew (a
// world restarted), it reports that queue's deliveries too.
func (s *Student) Ready(ctx context.Context, q *mta.Queue) error {
	s.mu.Lock()
	again := s.reporting
	s.mu.Unlock()
	if again {
		q.Subscribe(s.noteItem)
		return nil
	}
	if err := s.call(ctx, "/ready", struct{}{}, nil); err != nil {
		return err
	}
	q.Subscribe(s.noteItem)
	s.mu.Lock()
	s.reporting = true
	s.mu.Unlock()
	go s.report()
	go s.pollChallenge()
	return nil
}

// localAddrTowards is the local address of the route to the join URL's
// host (a UDP "connection" sends nothing).
func localAddrTowards(base string) (string, error) {
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	c, err := net.Dial("udp4", net.JoinHostPort(host, port))
	if err != nil {
		return "", fmt.Errorf("classroom: no route to the host %s: %w", host, err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP.String(), nil
}

// dial connects from the student's address: the host checks it, and
// classmates' SPF checks see it.
func (s *Student) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 30 * time.Second}
	ip := net.ParseIP(s.Bind)
	if strings.HasPrefix(network, "udp") {
		d.LocalAddr = &net.UDPAddr{IP: ip}
	} else {
		d.LocalAddr = &net.TCPAddr{IP: ip}
	}
	return d.DialContext(ctx, network, addr)
}

// call POSTs a request to the join service and decodes the answer.
func (s *Student) call(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("classroom: the room host at %s does not answer: %w", strings.TrimPrefix(s.base, "http://"), err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if resp.StatusCode/100 != 2 {
		je := &JoinError{Status: resp.StatusCode}
		if json.Unmarshal(b, &je.ErrorReply) != nil || je.Message == "" {
			je.Message = fmt.Sprintf("the room host answered %s", resp.Status)
		}
		return je
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	return json.Unmarshal(b, out)
}

func (s *Student) hostName(role string) string { return role + "." + s.Domain }

// Stop stops the provider without leaving the room: its records stay in
// the room DNS, so classmates' queues keep its mail and retry, as for a
// machine that went off. Joining again with the same name and address
// brings it back.
func (s *Student) Stop() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	reporting := s.reporting
	s.mu.Unlock()
	s.shutdown()
	close(s.stopRep)
	if reporting {
		<-s.repDone
		<-s.pollDone
	}
}

// Leave stops the provider and leaves the room: the host removes its
// records, so mail for it bounces from now on.
func (s *Student) Leave(ctx context.Context) error {
	s.Stop()
	return s.leave(ctx)
}

func (s *Student) leave(ctx context.Context) error { return s.call(ctx, "/leave", struct{}{}, nil) }

// NewDKIMPublicKey makes a DKIM key as a student does and returns its
// public half as a join request carries it (tests use it).
func NewDKIMPublicKey() (string, error) {
	_, pub, err := newDKIM()
	return pub, err
}

// newDKIM makes the student's DKIM key: the private half stays here, the
// public half (base64 DER) goes to the host for the room DNS.
func newDKIM() (crypto.Signer, string, error) {
	key, err := world.NewDKIMKey()
	if err != nil {
		return nil, "", err
	}
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, "", err
	}
	return key, base64.StdEncoding.EncodeToString(der), nil
}
