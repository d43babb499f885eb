package pop3

import (
	"fmt"
	"strconv"
	"strings"
)

// Stat returns the number and total size of the messages (RFC 1939 §5).
func (c *Client) Stat() (count, size int, err error) {
	text, err := c.cmd("STAT")
	if err != nil {
		return 0, 0, err
	}
	if _, err := fmt.Sscanf(text, "%d %d", &count, &size); err != nil {
		return 0, 0, errUnexpected("+OK " + text)
	}
	return count, size, nil
}

// List returns the number and size of every message (RFC 1939 §5).
func (c *Client) List() ([]MessageInfo, error) {
	return c.listing("LIST", func(m *MessageInfo, v string) (err error) {
		m.Size, err = strconv.Atoi(v)
		return err
	})
}

// Uidl returns the number and unique-id of every message (RFC 1939 §7).
func (c *Client) Uidl() ([]MessageInfo, error) {
	return c.listing("UIDL", func(m *MessageInfo, v string) error {
		m.UID = v
		return nil
	})
}

// listing reads "n value" lines of LIST or UIDL.
func (c *Client) listing(cmd string, set func(*MessageInfo, string) error) ([]MessageInfo, error) {
	if _, err := c.cmd(cmd); err != nil {
		return nil, err
	}
	var infos []MessageInfo
	var bad error
	err := c.dataLines(func(l string) {
		num, val, _ := strings.Cut(l, " ")
		n, err := strconv.Atoi(num)
		m := MessageInfo{Number: n}
		if err == nil {
			err = set(&m, val)
		}
		if err != nil && bad == nil {
			bad = errUnexpected(l)
		}
		infos = append(infos, m)
	})
	if err == nil {
		err = bad
	}
	return infos, err
}

// Retr returns message n with CRLF line endings (RFC 1939 §5).
func (c *Client) Retr(n int) ([]byte, error) {
	return c.message(fmt.Sprintf("RETR %d", n))
}

// Top returns the header and the first lines of the body (RFC 1939 §7).
func (c *Client) Top(n, lines int) ([]byte, error) {
	return c.message(fmt.Sprintf("TOP %d %d", n, lines))
}

func (c *Client) message(cmd string) ([]byte, error) {
	if _, err := c.cmd(cmd); err != nil {
		return nil, err
	}
	var b strings.Builder
	err := c.dataLines(func(l string) {
		b.WriteString(l)
		b.WriteString("\r\n")
	})
	return []byte(b.String()), err
}

// Dele marks message n as deleted; QUIT removes it (RFC 1939 §5).
func (c *Client) Dele(n int) error {
	_, err := c.cmd(fmt.Sprintf("DELE %d", n))
	return err
}

// Noop does nothing but keep the session alive (RFC 1939 §5).
func (c *Client) Noop() error {
	_, err := c.cmd("NOOP")
	return err
}

// Rset unmarks all deleted messages (RFC 1939 §5).
func (c *Client) Rset() error {
	_, err := c.cmd("RSET")
	return err
}
