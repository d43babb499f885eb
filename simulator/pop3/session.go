package pop3

import (
	"bufio"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"maillab/simulator/limits"
)

// Line limits. RFC 2449 §4: a command line is at most 255 octets with its
// CRLF. A SASL response line (RFC 5034 §4) may be longer.
const (
	maxCommandLine  = 255
	maxSASLLine     = 4096
	maxAuthFailures = 3
	// maxBadCommands invalid commands before login end the connection, as
	// in Dovecot's pop3-login and the IMAP server: whatever is not a POP3
	// client (a web page's HTTP request, a scanner) gets a few tries only.
	maxBadCommands = 10
)

// errHangUp ends a session after its last reply (QUIT, too many failures).
var errHangUp = errors.New("pop3: session over")

type state int

const (
	stateAuthorization state = iota // RFC 1939 §4
	stateTransaction                // RFC 1939 §5
)

// session is one client connection.
type session struct {
	srv       *Server
	conn      net.Conn
	r         *bufio.Reader
	w         *bufio.Writer
	state     state
	tls       bool
	timestamp string // APOP banner timestamp
	user      string // name from USER, waiting for PASS
	failures  int
	addr      string // the client's address, for the limits
	idleOut   bool   // the last read ran into the idle timeout
	bad       int    // invalid commands before login

	// TRANSACTION state only.
	drop    Maildrop
	lockKey string
	msgs    []Message
	deleted []bool
}

func newSession(srv *Server, c net.Conn) *session {
	_, isTLS := c.(interface{ ConnectionState() tls.ConnectionState })
	return &session{srv: srv, conn: c, r: bufio.NewReader(c), w: bufio.NewWriter(c),
		tls: isTLS, timestamp: srv.timestamp(), addr: limits.Host(c)}
}

// serve greets and then answers one command line after another.
func (s *session) serve() {
	defer s.closeDrop()
	greeting := s.srv.opts.Hostname + " POP3 server ready " + s.timestamp
	if s.ok(greeting) != nil {
		return
	}
	for {
		line, err := s.readLine(maxCommandLine)
		if errors.Is(err, errLineTooLong) {
			err = s.invalid(&Error{Text: "line too long"})
		} else if err == nil {
			err = s.command(line)
		}
		if err != nil {
			if s.idleOut {
				// Dovecot's words; RFC 1939 §3 lets the autologout timer
				// close without a reply, a line tells a student why.
				s.fail(&Error{Text: "Disconnected for inactivity."})
			}
			return
		}
	}
}

// command parses and runs one line.
func (s *session) command(line []byte) error {
	cmd, err := ParseCommand(line)
	switch {
	case errors.Is(err, ErrEmptyCommand):
		return s.invalid(&Error{Text: "empty command"})
	case errors.Is(err, ErrBadCharacter):
		return s.invalid(&Error{Text: "invalid character in command"})
	case err != nil:
		return s.invalid(&Error{Text: "unknown command"})
	}
	return s.dispatch(cmd)
}

// invalid answers a line that is no valid command. Before login the
// tenth one ends the connection instead.
func (s *session) invalid(e *Error) error {
	if s.state != stateAuthorization {
		return s.fail(e)
	}
	if s.bad++; s.bad < maxBadCommands {
		return s.fail(e)
	}
	s.fail(&Error{Text: "Too many invalid commands."})
	return errHangUp
}

// readLine waits for a line at most the idle limit of the state: the
// short login timeout before login (shorter still under load), the
// autologout timer after. When it expires the session ends without
// entering UPDATE (RFC 1939 §3).
func (s *session) readLine(max int) ([]byte, error) {
	idle := s.srv.opts.Timeouts.Idle(s.state == stateTransaction, s.srv.limit.Stressed())
	s.conn.SetReadDeadline(time.Now().Add(idle))
	line, err := readLine(s.r, max)
	var ne net.Error
	s.idleOut = errors.As(err, &ne) && ne.Timeout()
	return line, err
}

// closeDrop leaves TRANSACTION: closes the maildrop and frees the lock.
func (s *session) closeDrop() {
	if s.drop == nil {
		return
	}
	s.drop.Close()
	s.srv.locks.release(s.lockKey)
	s.drop, s.msgs, s.deleted = nil, nil, nil
}
