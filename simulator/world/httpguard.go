package world

import (
	"bufio"
	"net"
	"regexp"
	"sync"
)

// A web page can make a browser POST to any port, and a POST body can hold
// mail commands (cross-protocol request forgery): to port 25 it could send
// spam, to 143 log in and APPEND. Like Postfix (smtpd_forbidden_commands
// = CONNECT GET POST) and Dovecot, a server that reads an HTTP request line
// as a client's first line says goodbye and closes before any of it counts.

var httpRequestLine = regexp.MustCompile(`^(GET|POST|PUT|HEAD|OPTIONS|CONNECT|DELETE|PATCH) \S+ HTTP/\d`)

// goodbyes are what each protocol says to a browser's request.
var goodbyes = map[string]string{
	// Postfix's own words, which students may meet in a mail log.
	"smtp":       "221 2.7.0 Error: I can break rules, too. Goodbye.\r\n",
	"submission": "221 2.7.0 Error: I can break rules, too. Goodbye.\r\n",
	"pop3":       "-ERR HTTP request: this is a POP3 server, goodbye.\r\n",
	"imap":       "* BYE HTTP request: this is an IMAP server, goodbye.\r\n",
}

// guardHTTP wraps l so each connection's first client line is checked.
func guardHTTP(l net.Listener, proto string) net.Listener {
	bye, ok := goodbyes[proto]
	if !ok {
		return l
	}
	return &httpGuardListener{Listener: l, bye: bye}
}

type httpGuardListener struct {
	net.Listener
	bye string
}

func (l *httpGuardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &httpGuardConn{Conn: c, bye: l.bye}, nil
}

// httpGuardConn holds the first line back until it is complete, then
// either passes it on or answers and closes.
type httpGuardConn struct {
	net.Conn
	bye     string
	once    sync.Once
	r       *bufio.Reader
	refused bool
}

func (c *httpGuardConn) Read(p []byte) (int, error) {
	c.once.Do(c.check)
	if c.refused {
		return 0, net.ErrClosed
	}
	return c.r.Read(p)
}

func (c *httpGuardConn) check() {
	c.r = bufio.NewReaderSize(c.Conn, 4096)
	// Peek up to the first line end (or a full buffer: then it is no
	// request line either); a dropped connection just ends the session.
	for n := 1; n <= c.r.Size(); n++ {
		b, err := c.r.Peek(n)
		if err != nil {
			return
		}
		if b[n-1] == '\n' {
			if httpRequestLine.Match(b) {
				c.refused = true
				c.Conn.Write([]byte(c.bye))
				c.Conn.Close()
			}
			return
		}
	}
}
