package pop3

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
)

// FuzzSession feeds arbitrary lines to a live session. The server must
// not panic, must answer every line with one well-formed reply, and may
// only hang up after QUIT or the third failed login.
func FuzzSession(f *testing.F) {
	login := "USER " + alice + "\r\nPASS " + alicePass + "\r\n"
	for _, s := range []string{
		"CAPA\r\nNOOP\r\nQUIT\r\n",
		login + "STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 1 2\r\nDELE 1\r\nLIST 1\r\nRSET\r\nQUIT\r\n",
		"AUTH PLAIN\r\n" + plain("", alice, alicePass) + "\r\nRETR 2\r\nLAST\r\n",
		"AUTH PLAIN\r\n*\r\nAUTH\r\nAPOP a b\r\n",
		"\x00\xff\x16\x03\r\n" + strings.Repeat("x", 300) + "\r\nSTLS\r\n",
		"USER a\r\nPASS b\r\nPASS c\r\nUSER a\r\nPASS d\r\nUSER a\r\nPASS e\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		// Pipes, not TCP: thousands of runs would use up ephemeral ports.
		l := newPipeListener()
		ts := startOn(t, Options{}, l)
		ts.dialer = l.dial
		r := ts.connect(t)
		s := &fuzzPeer{r: r}
		for _, line := range fuzzLines(input) {
			if !s.exchange(t, line) {
				return
			}
		}
	})
}

// fuzzPeer tracks just enough state to know the shape of each reply.
type fuzzPeer struct {
	r        *raw
	cont     bool // the last reply was a SASL "+ "
	failures int
}

// exchange sends one line and checks its reply; false when the session
// is over.
func (p *fuzzPeer) exchange(t *testing.T, line string) bool {
	p.r.write(line + "\r\n")
	reply := p.r.line()
	wasCont := p.cont
	p.cont = false
	switch {
	case strings.HasPrefix(reply, "+OK"):
		cmd, err := ParseCommand([]byte(line))
		if wasCont || err != nil {
			return true
		}
		if multiLine(cmd) {
			p.r.data()
		}
		if cmd.Name == "QUIT" {
			p.r.eof()
			return false
		}
	case reply == "+ " && !wasCont:
		p.cont = true
	case strings.HasPrefix(reply, "-ERR"):
		if strings.HasPrefix(reply, "-ERR [AUTH] invalid user name or password") {
			p.failures++
		}
		if p.failures == maxAuthFailures {
			p.r.eof()
			return false
		}
	default:
		t.Fatalf("reply %q to %q is neither +OK nor -ERR", reply, line)
	}
	return true
}

// multiLine reports which successful replies carry data (RFC 1939, 2449).
func multiLine(cmd Command) bool {
	switch cmd.Name {
	case "CAPA", "RETR", "TOP":
		return true
	case "LIST", "UIDL", "AUTH":
		return len(cmd.Args) == 0
	}
	return false
}

// fuzzLines splits input into lines without their LF or CRLF.
func fuzzLines(input []byte) []string {
	input = bytes.TrimSuffix(input, []byte("\n"))
	var lines []string
	for _, l := range bytes.Split(input, []byte("\n")) {
		lines = append(lines, string(bytes.TrimSuffix(l, []byte("\r"))))
	}
	return lines
}

// pipeListener hands out in-memory connections to Serve.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial() (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }
