// Package limits keeps one client address from taking a server away from
// the others: a cap on connections per address beside the server's total
// cap (Postfix smtpd_client_connection_count_limit, Dovecot
// mail_max_userip_connections), idle timeouts that are short before login
// and shorter under load (Dovecot's login processes, Postfix's
// stress-dependent smtpd_timeout), and a penalty on wrong passwords that
// follows the address across connections (Postfix anvil, Dovecot's auth
// penalty). SMTP, POP3 and IMAP use it alike.
package limits

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"sync"
	"time"
)

// Defaults. A classroom shares one server between thirty students: each
// Thunderbird holds one to five connections per protocol, so a student's
// own address never comes near DefaultPerAddr, while one address that
// floods (a script, a "what breaks?" experiment) takes at most a quarter
// of DefaultMaxConns and leaves the rest to everybody else. Students on
// one machine share its address (127.0.0.1 on the projector PC): thirty of
// them on one address would share its 50.
const (
	DefaultMaxConns = 200 // per server, over all its ports
	DefaultPerAddr  = 50  // per client address (Postfix's default)

	// DefaultLoginTimeout: before login a client gets this long for each
	// line (Dovecot's login processes allow three minutes in all, Postfix
	// 300 s per read; a minute is ample for a program and for a student
	// typing by hand).
	DefaultLoginTimeout = time.Minute
	// DefaultStressTimeout replaces it once a server holds more than
	// StressPercent of its connections (Postfix: smtpd_timeout under
	// stress is 10 s).
	DefaultStressTimeout = 10 * time.Second
	StressPercent        = 80

	// RefusalGrace is how long a refusal may take: on an implicit-TLS port
	// the refusal can only be sent once the client finished its handshake,
	// and a client that never starts one is closed after this.
	RefusalGrace = 500 * time.Millisecond
)

// Conns counts a server's connections, in all and per client address.
type Conns struct {
	max, perAddr int

	mu     sync.Mutex
	total  int
	byAddr map[string]int
}

// Verdict says whether a connection may be served.
type Verdict int

const (
	Admitted   Verdict = iota
	ServerFull         // the server's total cap is reached
	AddrFull           // this client address holds its share already
)

// NewConns caps connections at max in all and perAddr per client address
// (0: the defaults; perAddr is never above max).
func NewConns(max, perAddr int) *Conns {
	if max <= 0 {
		max = DefaultMaxConns
	}
	if perAddr <= 0 {
		perAddr = DefaultPerAddr
	}
	return &Conns{max: max, perAddr: min(perAddr, max), byAddr: map[string]int{}}
}

// Admit counts a new connection from addr. Only an admitted connection is
// counted, and its release must be called exactly once when it ends.
func (c *Conns) Admit(addr string) (release func(), v Verdict) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.total >= c.max:
		return nil, ServerFull
	case c.byAddr[addr] >= c.perAddr:
		return nil, AddrFull
	}
	c.total++
	c.byAddr[addr]++
	var once sync.Once
	return func() { once.Do(func() { c.leave(addr) }) }, Admitted
}

func (c *Conns) leave(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total--
	if c.byAddr[addr]--; c.byAddr[addr] <= 0 {
		delete(c.byAddr, addr)
	}
}

// Stressed reports whether the server holds more than StressPercent of
// its cap: idle clients before login then get the short timeout.
func (c *Conns) Stressed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total*100 > c.max*StressPercent
}

// Counts returns the connections held in all and by addr.
func (c *Conns) Counts(addr string) (total, fromAddr int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.byAddr[addr]
}

// Host is the client address of c without its port: the key of every
// per-address limit.
func Host(c net.Conn) string {
	a := c.RemoteAddr()
	if a == nil {
		return ""
	}
	if t, ok := a.(*net.TCPAddr); ok {
		return t.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// Timeouts are a server's idle limits: how long it waits for a client's
// next line.
type Timeouts struct {
	Login   time.Duration // before login (0: DefaultLoginTimeout)
	Stress  time.Duration // before login on a server under stress (0: DefaultStressTimeout)
	Session time.Duration // after login (each protocol has its default)
}

// WithDefaults fills zero fields; session is the protocol's own default.
func (t Timeouts) WithDefaults(session time.Duration) Timeouts {
	if t.Login <= 0 {
		t.Login = DefaultLoginTimeout
	}
	if t.Stress <= 0 {
		t.Stress = DefaultStressTimeout
	}
	if t.Session <= 0 {
		t.Session = session
	}
	return t
}

// MX is t for a server nobody logs in to (port 25): the session timeout
// (default session) holds from the greeting on, the stress timeout under
// stress.
func (t Timeouts) MX(session time.Duration) Timeouts {
	if t.Session <= 0 {
		t.Session = session
	}
	t.Login = t.Session
	return t
}

// Idle is the limit for the next line: the session timeout once logged in,
// the login timeout before, or the stress timeout when that is shorter and
// the server is under stress.
func (t Timeouts) Idle(loggedIn, stressed bool) time.Duration {
	if loggedIn {
		return t.Session
	}
	if stressed {
		return min(t.Login, t.Stress)
	}
	return t.Login
}

// Refuse sends line (with its CRLF) and closes c, on its own goroutine's
// time but never for longer than RefusalGrace: on an implicit-TLS
// connection the line is sent only if the client completes its handshake
// in that time, and a paused wire tap cannot hold the socket open either.
func Refuse(c net.Conn, line string) {
	stop := time.AfterFunc(RefusalGrace, func() { Abort(c) })
	defer stop.Stop()
	defer c.Close()
	if tc, ok := c.(interface {
		HandshakeContext(context.Context) error
	}); ok {
		ctx, cancel := context.WithTimeout(context.Background(), RefusalGrace)
		err := tc.HandshakeContext(ctx)
		cancel()
		if err != nil {
			return
		}
	}
	c.SetWriteDeadline(time.Now().Add(RefusalGrace))
	io.WriteString(c, line)
}

// Abort closes the socket under c at once: a *tls.Conn's own Close would
// first try to send an alert to a peer that may not read.
func Abort(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		tc.NetConn().Close()
		return
	}
	c.Close()
}
