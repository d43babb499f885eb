package mua

import (
	"context"

	"maillab/simulator/pop3"
)

// POP3Options choose security and whether to leave a copy on the server.
type POP3Options struct {
	Security  Security // StartTLS (STLS on 110, default), Implicit (995), Plain (110)
	LeaveCopy bool     // "leave a copy on the server": RETR without DELE
}

// FetchPOP3 downloads new messages: USER/PASS, UIDL, RETR for every UID the
// device has not seen, DELE unless a copy stays, QUIT (RFC 1939 §7; the
// deletions happen in the UPDATE state). It returns how many were new.
func (d *Device) FetchPOP3(ctx context.Context, opts POP3Options) (int, error) {
	c, err := d.pop3Client(ctx, opts.Security)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := c.User(d.Account.Address); err != nil {
		return 0, err
	}
	if err := c.Pass(d.Account.Password); err != nil {
		return 0, err
	}
	n, err := d.downloadNew(c, opts.LeaveCopy)
	if err != nil {
		return n, err
	}
	return n, c.Quit()
}

func (d *Device) downloadNew(c *pop3.Client, leaveCopy bool) (int, error) {
	list, err := c.Uidl()
	if err != nil {
		return 0, err
	}
	fresh := 0
	for _, m := range list {
		key := "pop3:" + m.UID
		if d.has(key) {
			continue
		}
		raw, err := c.Retr(m.Number)
		if err != nil {
			return fresh, err
		}
		subject, from := summarize(raw)
		d.remember(Local{Key: key, Subject: subject, From: from, Size: len(raw), Via: "pop3",
			OnServer: leaveCopy, Raw: raw})
		fresh++
		if !leaveCopy {
			if err := c.Dele(m.Number); err != nil {
				return fresh, err
			}
		}
	}
	return fresh, nil
}

func (d *Device) has(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.local[key]
	return ok
}

func (d *Device) pop3Client(ctx context.Context, sec Security) (*pop3.Client, error) {
	port := 110
	if sec == Implicit {
		port = 995
	}
	conn, err := d.Net.DialService(ctx, d.Node, d.Account.MailHost, port)
	if err != nil {
		return nil, err
	}
	if sec == Implicit {
		conn = tlsClient(conn, d.Net.NodeTLS(d.Node, d.Account.MailHost))
	}
	c, err := pop3.NewClient(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	if sec == StartTLS || sec == "" {
		if err := c.StartTLS(d.Net.NodeTLS(d.Node, d.Account.MailHost)); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}
