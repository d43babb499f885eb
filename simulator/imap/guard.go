package imap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"maillab/simulator/limits"
)

// maxLine bounds one command line (literals excluded). RFC 2683 §3.2.1.5
// asks servers to accept at least 8000 octets; go-imap stops at 50 KiB.
const maxLine = 32 * 1024

// guard checks each command line before go-imap parses it. go-imap drops
// the connection without a word when a line does not start with "tag SP
// command" and after one unknown command before login (its defence against
// cross-protocol attacks). In a teaching tool a student typing by hand
// should get a BAD that says what is wrong instead (RFC 9051 §7.1.5), so
// the guard answers such lines itself and never passes them on.
//
// The guard also keeps literals (RFC 9051 §4.3) within bounds before any
// of their data is read (literal.go), and ends a connection that sends too
// many bad commands before login, as Dovecot does.
//
// Lines that are not commands pass unchecked: the DONE of IDLE, a SASL
// response, the rest of a command after a literal (only its nesting and
// literal are checked), and literal data. After STARTTLS the guard steps
// aside, since TLS records follow; the session's AppendLimit then still
// refuses large literals before login.
//
// The guard also keeps the idle timer: it owns the read deadline (go-imap's
// own are replaced), short before login, long after, and says "* BYE
// Disconnected for inactivity." when it runs out, as Dovecot does.
type guard struct {
	net.Conn
	br       *bufio.Reader
	startTLS bool   // STARTTLS can succeed on this connection
	hostname string // put into the greeting
	lits     literalLimits
	idle     func(loggedIn bool) time.Duration
	bye      atomic.Pointer[func(string) error] // the imapserver.Conn's Bye
	upper    atomic.Pointer[guard]              // the guard over TLS after STARTTLS
	timedOut atomic.Bool

	// Write runs on the IDLE goroutine too.
	wmu      sync.Mutex
	greeted  bool
	tlsTag   string // tag of a STARTTLS waiting for its reply
	upgraded bool   // the server said OK to STARTTLS
	wrote    bool   // the server wrote since the last line with a literal passed
	cont     bool   // ... and that was a "+" continuation request
	bad      int    // BAD replies before login
	closing  bool   // the BYE for too many bad commands is out

	// Set by the session at login, on the reading goroutine.
	authed atomic.Bool
	room   func() int64 // octets the user may still store; -1: no limit

	mode    guardMode
	cmd     command // the command whose lines are passing
	literal int64   // literal octets still to pass
	sync    int64   // a synchronising literal waits for go-imap's answer; -1: none
	pending []byte
	buf     []byte
}

type guardMode int

const (
	modeCommand guardMode = iota // the next line starts a command
	modeRaw                      // the next line continues an exchange (DONE, SASL)
	modeCont                     // the next line continues a command after a literal
	modeOff                      // STARTTLS: pass everything
)

// maxBadCommands BAD replies before login end the connection (Dovecot's
// imap-login counts the same way).
const maxBadCommands = 10

func newGuard(c net.Conn, startTLS bool, hostname string, idle func(loggedIn bool) time.Duration, lim literalLimits) *guard {
	return &guard{Conn: c, br: bufio.NewReaderSize(c, maxLine), startTLS: startTLS, hostname: hostname,
		idle: idle, lits: lim, sync: -1}
}

// findGuard finds the guard under c (go-imap's connection: the guard, or
// the TLS connection STARTTLS put over it).
func findGuard(c net.Conn) *guard {
	for c != nil {
		if g, ok := c.(*guard); ok {
			return g
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return nil
		}
		c = u.NetConn()
	}
	return nil
}

func (g *guard) setBye(bye func(string) error) { g.bye.Store(&bye) }

// SetReadDeadline replaces go-imap's deadline (30 s for a command, 35
// minutes in IDLE) with the idle limit of the session's state.
func (g *guard) SetReadDeadline(t time.Time) error {
	if !t.IsZero() {
		t = time.Now().Add(g.idle(g.authed.Load()))
	}
	return g.Conn.SetReadDeadline(t)
}

func (g *guard) SetDeadline(t time.Time) error {
	if err := g.SetReadDeadline(t); err != nil {
		return err
	}
	return g.Conn.SetWriteDeadline(t)
}

// login is called by the session once the user is authenticated; room
// tells how much the user may still store.
func (g *guard) login(room func() int64) {
	if g == nil {
		return
	}
	g.room = room
	g.authed.Store(true)
	g.upper.Load().login(room)
}

// overTLS puts a new guard over the TLS connection STARTTLS made, so the
// commands sent inside TLS are checked (and ID answered) as before it;
// this guard, under TLS, then passes the TLS records unread. The session
// keeps this guard and login reaches both: both time the reads.
func (g *guard) overTLS(tlsConn net.Conn) net.Conn {
	u := newGuard(tlsConn, false, "", g.idle, g.lits)
	u.greeted = true
	u.bye.Store(g.bye.Load())
	g.upper.Store(u)
	return u
}

func (g *guard) Read(p []byte) (int, error) {
	n, err := g.read(p)
	if err != nil && isTimeout(err) && g.upper.Load() == nil { // the guard over TLS says it
		g.sayBye()
	}
	return n, err
}

// sayBye tells an idle client why it is disconnected (RFC 9051 §7.1.5
// allows an untagged BYE at any time). go-imap writes the line; if it
// cannot at once (a STARTTLS handshake still waits for this very read),
// the connection just closes.
func (g *guard) sayBye() {
	bye := g.bye.Load()
	if bye == nil || g.timedOut.Swap(true) {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		(*bye)("Disconnected for inactivity.")
	}()
	select {
	case <-done:
	case <-time.After(limits.RefusalGrace):
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (g *guard) read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.mode != modeOff && g.hasUpgraded() {
			g.mode = modeOff
		}
		if g.mode == modeOff || g.literal > 0 {
			return g.readRaw(p)
		}
		if g.sync >= 0 {
			g.settleLiteral()
			continue
		}
		if err := g.nextLine(); err != nil {
			return 0, err
		}
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

func (g *guard) readRaw(p []byte) (int, error) {
	if g.mode != modeOff && int64(len(p)) > g.literal {
		p = p[:g.literal]
	}
	n, err := g.br.Read(p)
	if g.mode != modeOff {
		g.literal -= int64(n)
	}
	return n, err
}

// nextLine reads one line, within the idle limit, and either queues it for
// go-imap or answers it.
func (g *guard) nextLine() error {
	g.SetReadDeadline(time.Now()) // any non-zero time: now + the idle limit
	line, err := g.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		if g.mode == modeCont {
			g.mode = modeCommand
			if err := g.discardLine(); err != nil {
				return err
			}
			g.spoil()
			return nil
		}
		return g.tooLong(line)
	}
	if len(line) == 0 || (err != nil && isTimeout(err)) {
		return err
	}
	mode := g.mode
	g.mode = modeCommand
	withLiteral := mode != modeRaw // DONE and SASL lines bring none
	switch {
	case mode == modeCommand && err == nil:
		if reply := checkCommand(line); reply != "" {
			return g.reject(line, reply)
		}
		g.cmd = newCommand(line)
		if reply := g.cmd.add(line); reply != "" {
			return g.reject(line, reply)
		}
		if reply := checkArgs(g.cmd, line); reply != "" {
			return g.reject(line, reply)
		}
		if g.cmd.name == "ID" {
			if _, _, ok := trailingLiteral(line); ok {
				return g.reject(line, g.cmd.tag+` BAD Syntax error: write the ID values as quoted strings, as in: `+
					g.cmd.tag+` ID ("name" "mutt")`)
			}
			return g.answerID(line)
		}
		g.wmu.Lock()
		g.wmu.Unlock()
		if reply, bye := g.checkLiteral(line, true); reply != "" {
			return g.refuse(line, reply, bye)
		}
		g.follow(line)
	case mode == modeCont:
		if g.cmd.add(line) != "" {
			g.spoil()
			return nil
		}
		if reply, bye := g.checkLiteral(line, false); reply != "" {
			return g.refuse(line, reply, bye)
		}
	}
	g.pass(line, withLiteral && g.mode != modeRaw)
	return nil // a partial last line passes; the next read reports err
}

// pass queues line for go-imap and prepares for the literal it announces.
func (g *guard) pass(line []byte, withLiteral bool) {
	if n, nonSync, ok := trailingLiteral(line); ok && withLiteral {
		if nonSync {
			g.literal, g.mode = n, modeCont
		} else {
			g.wmu.Lock()
			g.wrote, g.cont = false, false
			g.wmu.Unlock()
			g.sync = n
		}
	}
	g.pending = append(g.buf[:0], line...)
	g.buf = g.pending
}

// settleLiteral runs when go-imap reads again after a line that announced
// a synchronising literal: if it asked for the data with "+", the data
// comes next; if it answered the command instead (a NO [TOOBIG], say), the
// client sends no data and the next line is a new command. If it wrote
// nothing, go-imap dropped the literal without a word (it does so for a
// buffered literal over 4096 octets) and waits for the end of the line,
// which the client will not send: a line it cannot parse ends the command
// with a BAD.
func (g *guard) settleLiteral() {
	n := g.sync
	g.sync = -1
	g.wmu.Lock()
	wrote, cont := g.wrote, g.cont
	g.wmu.Unlock()
	switch {
	case cont:
		g.literal, g.mode = n, modeCont
	case wrote:
		g.mode = modeCommand
	default:
		g.spoil()
	}
}

// spoil hands go-imap a line it cannot parse in any command, so the
// command it is reading ends with BAD [CLIENTBUG]. The guard uses it where
// it cannot answer a command itself because go-imap is already reading it.
func (g *guard) spoil() {
	g.mode = modeCommand
	g.pending = append(g.buf[:0], "\x00\r\n"...)
	g.buf = g.pending
}

// follow sets up for the lines a command brings with it.
func (g *guard) follow(line []byte) {
	fields := strings.Fields(string(line))
	switch g.cmd.name {
	case "IDLE": // RFC 9051 §6.3.13: the client ends IDLE with DONE
		g.mode = modeRaw
	case "AUTHENTICATE": // without an initial response a SASL line follows
		if len(fields) == 3 {
			g.mode = modeRaw
		}
	case "STARTTLS": // TLS records follow the server's OK
		if g.startTLS {
			g.wmu.Lock()
			g.tlsTag = fields[0]
			g.wmu.Unlock()
		}
	}
}

func (g *guard) hasUpgraded() bool {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	return g.upgraded
}

// tooLong discards the rest of an over-long line and answers BAD. The
// mode stays: during IDLE the DONE may still come.
func (g *guard) tooLong(start []byte) error {
	tag, _, found := strings.Cut(string(start), " ")
	if err := g.discardLine(); err != nil {
		return err
	}
	if !found || len(tag) > 64 || !validTag(tag) {
		tag = "*"
	}
	return g.reply(fmt.Sprintf("%s BAD Line too long (the limit is %d octets)", tag, maxLine))
}

// reject answers a bad command line. Data of a non-synchronising literal
// (RFC 7888) and the rest of the command are on their way regardless, and
// are dropped too, unless the literal is over maxNonSync octets: then the
// connection ends.
func (g *guard) reject(line []byte, reply string) error {
	if n, nonSync, ok := trailingLiteral(line); ok && nonSync {
		if n > maxNonSync {
			return g.refuse(line, reply, true)
		}
		if _, err := io.CopyN(io.Discard, g.br, n); err != nil {
			return err
		}
		if err := g.discardLine(); err != nil {
			return err
		}
	}
	return g.reply(reply)
}

// refuse answers a literal the guard will not let through. With bye the
// connection ends: the client sends data the server will not read.
func (g *guard) refuse(line []byte, reply string, bye bool) error {
	if !bye {
		return g.reject(line, reply)
	}
	if err := g.reply(reply); err != nil {
		return err
	}
	g.reply("* BYE Literal too large, closing the connection")
	g.Conn.Close()
	return net.ErrClosed
}

// discardLine drops input up to and including the next LF.
func (g *guard) discardLine() error {
	for {
		_, err := g.br.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// reply writes a line of the guard's own.
func (g *guard) reply(line string) error {
	g.wmu.Lock()
	bye := g.countBad([]byte(line))
	g.wmu.Unlock()
	if _, err := g.Conn.Write([]byte(line + "\r\n")); err != nil {
		return err
	}
	if bye {
		return g.tooManyBad()
	}
	return nil
}

// Write passes server output through. It watches for the reply to
// STARTTLS, for "+" after a literal and for BAD before login, and puts the
// host name into the greeting, which go-imap does not let us word.
func (g *guard) Write(p []byte) (int, error) {
	g.wmu.Lock()
	first := !g.greeted
	g.greeted = true
	if g.tlsTag != "" && bytes.HasPrefix(p, []byte(g.tlsTag+" ")) {
		g.upgraded = bytes.HasPrefix(p, []byte(g.tlsTag+" OK "))
		g.tlsTag = ""
	}
	g.wrote = true
	g.cont = g.cont || bytes.HasPrefix(p, []byte("+"))
	bye := !g.upgraded && g.countBad(p) // after STARTTLS these are TLS records
	g.wmu.Unlock()
	var n int
	var err error
	switch {
	case first:
		n, err = g.writeGreeting(p)
	default:
		n, err = g.Conn.Write(p)
	}
	if err == nil && bye {
		g.tooManyBad()
	}
	return n, err
}

// countBad counts the BAD replies in p before login and reports whether
// the limit is reached; g.wmu must be held.
func (g *guard) countBad(p []byte) bool {
	if g.authed.Load() || g.closing {
		return false
	}
	for line := range bytes.Lines(p) {
		tag, rest, _ := bytes.Cut(line, []byte(" "))
		if bytes.HasPrefix(rest, []byte("BAD")) && (string(tag) == "*" || validTag(string(tag))) {
			g.bad++
		}
	}
	if g.bad < maxBadCommands {
		return false
	}
	g.closing = true
	return true
}

// tooManyBad says goodbye as Dovecot does and closes the connection; the
// session's next read fails and it winds down.
func (g *guard) tooManyBad() error {
	g.Conn.Write([]byte("* BYE Too many invalid IMAP commands.\r\n"))
	g.Conn.Close()
	return net.ErrClosed
}

// writeGreeting puts the host name into the greeting, as Dovecot's
// "* OK [CAPABILITY …] mail.example.net IMAP server ready".
func (g *guard) writeGreeting(p []byte) (int, error) {
	const ready = "] IMAP server ready\r\n"
	out := p
	if g.hostname != "" && bytes.HasPrefix(p, []byte("* OK [CAPABILITY ")) && bytes.HasSuffix(p, []byte(ready)) {
		out = append(bytes.TrimSuffix(p, []byte(ready)), "] "+g.hostname+" IMAP server ready\r\n"...)
	}
	if _, err := g.Conn.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// trailingLiteral finds "{N}" or the non-synchronising "{N+}" at the end
// of a line (RFC 9051 §4.3, RFC 7888): N octets of literal data follow.
func trailingLiteral(line []byte) (n int64, nonSync, ok bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasSuffix(s, "}") {
		return 0, false, false
	}
	open := strings.LastIndexByte(s, '{')
	if open < 0 {
		return 0, false, false
	}
	digits, nonSync := strings.CutSuffix(s[open+1:len(s)-1], "+")
	n, err := strconv.ParseInt(digits, 10, 63)
	if err != nil || n < 0 {
		return 0, false, false
	}
	return n, nonSync, true
}
