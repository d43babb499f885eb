package pop3

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"strings"
)

// maxReplyLine bounds one line the client reads. Message lines may exceed
// the 998 octets of RFC 5322 in the wild, so it is generous.
const maxReplyLine = 1 << 20

// Client is a POP3 client on one connection. It sets no deadlines: the
// caller owns the connection and its timing. Methods are not safe for
// concurrent use.
type Client struct {
	conn      net.Conn
	r         *bufio.Reader
	greeting  string
	timestamp string
}

// MessageInfo is one line of a LIST or UIDL listing.
type MessageInfo struct {
	Number int
	Size   int    // from List
	UID    string // from Uidl
}

// NewClient reads the server greeting. On error the connection is left
// for the caller to close.
func NewClient(conn net.Conn) (*Client, error) {
	c := &Client{conn: conn, r: bufio.NewReader(conn)}
	text, cont, err := c.status()
	if err == nil && cont {
		err = errUnexpected("+ ")
	}
	if err != nil {
		return nil, err
	}
	c.greeting, c.timestamp = text, apopTimestamp(text)
	return c, nil
}

// Greeting is the text of the server's "+OK" greeting.
func (c *Client) Greeting() string { return c.greeting }

// Close closes the connection without QUIT: the server deletes nothing
// (RFC 1939 §6).
func (c *Client) Close() error { return c.conn.Close() }

// Quit sends QUIT, which applies the deletions (RFC 1939 §6), and closes
// the connection.
func (c *Client) Quit() error {
	_, err := c.cmd("QUIT")
	c.conn.Close()
	return err
}

// apopTimestamp finds the <...> timestamp in a greeting (RFC 1939 §7).
func apopTimestamp(greeting string) string {
	i := strings.LastIndexByte(greeting, '<')
	j := strings.LastIndexByte(greeting, '>')
	if i < 0 || j < i || !strings.Contains(greeting[i:j], "@") {
		return ""
	}
	return greeting[i : j+1]
}

// cmd sends one command line and reads a single-line reply; -ERR becomes
// an *Error.
func (c *Client) cmd(line string) (string, error) {
	if err := c.send(line); err != nil {
		return "", err
	}
	text, cont, err := c.status()
	if err == nil && cont {
		return "", errUnexpected("+ ")
	}
	return text, err
}

// send writes the command with its CRLF in a single Write. A CR or LF
// inside an argument would smuggle in a second command, so it is refused.
func (c *Client) send(line string) error {
	if strings.ContainsAny(line, "\r\n") {
		return ErrLineBreak
	}
	_, err := c.conn.Write([]byte(line + "\r\n"))
	return err
}

// status reads a status line: "+OK text", "-ERR text" or the SASL
// continuation "+ challenge" (cont is true).
func (c *Client) status() (text string, cont bool, err error) {
	line, err := c.line()
	if err != nil {
		return "", false, err
	}
	switch {
	case line == "+OK" || strings.HasPrefix(line, "+OK "):
		return strings.TrimPrefix(line[3:], " "), false, nil
	case line == "-ERR" || strings.HasPrefix(line, "-ERR "):
		return "", false, parseError(line[4:])
	case line == "+" || strings.HasPrefix(line, "+ "):
		return strings.TrimPrefix(line[1:], " "), true, nil
	}
	return "", false, errUnexpected(line)
}

// line reads one line without its line ending.
func (c *Client) line() (string, error) {
	b, err := readLine(c.r, maxReplyLine)
	if err != nil {
		return "", err
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	return string(bytes.TrimSuffix(b, []byte("\r"))), nil
}

// dataLines reads the rest of a multi-line response up to the "." and
// undoes the dot-stuffing (RFC 1939 §3).
func (c *Client) dataLines(each func(line string)) error {
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		if line == "." {
			return nil
		}
		each(strings.TrimPrefix(line, "."))
	}
}

func errUnexpected(line string) error {
	return fmt.Errorf("pop3: unexpected reply %q", line)
}

// ErrLineBreak is returned for a command argument with CR or LF in it.
var ErrLineBreak = errors.New("pop3: line break in command argument")

// ErrNoAPOP is returned by APOP when the greeting had no timestamp.
var ErrNoAPOP = errors.New("pop3: server greeting has no APOP timestamp")
