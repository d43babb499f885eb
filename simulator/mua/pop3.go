package mua

import (
	"context"
	"time"

	"maillab/simulator/pop3"
)

// POP3Options choose security and whether to leave a copy on the server.
type POP3Options struct {
	Security  Security // StartTLS (STLS on 110, default), Implicit (995), Plain (110)
	LeaveCopy bool     // "leave a copy on the server": RETR without DELE
	// DeleteAfter, with LeaveCopy, deletes (DELE) the copies this device
	// downloaded at least that long ago, as Thunderbird's "Delete from
	// server after N days" does at each check; 0: never. Now is the
	// clock it measures by (the world's; default time.Now).
	DeleteAfter time.Duration
	Now         func() time.Time
}

// POP3Report is what one check did.
type POP3Report struct {
	New     int // messages downloaded
	Deleted int // old copies deleted from the server (DeleteAfter)
}

// FetchPOP3 downloads new messages: USER/PASS, UIDL, RETR for every UID the
// device has not seen, DELE unless a copy stays, QUIT (RFC 1939 §7; the
// deletions happen in the UPDATE state). It returns how many were new.
func (d *Device) FetchPOP3(ctx context.Context, opts POP3Options) (int, error) {
	r, err := d.CheckPOP3(ctx, opts)
	return r.New, err
}

// CheckPOP3 is FetchPOP3 saying also how many old copies it deleted.
func (d *Device) CheckPOP3(ctx context.Context, opts POP3Options) (POP3Report, error) {
	c, err := d.pop3Client(ctx, opts.Security)
	if err != nil {
		return POP3Report{}, err
	}
	defer c.Close()
	if err := c.User(d.Account.Address); err != nil {
		return POP3Report{}, err
	}
	if err := c.Pass(d.Account.Password); err != nil {
		return POP3Report{}, err
	}
	r, err := d.downloadNew(c, opts)
	if err != nil {
		return r, err
	}
	return r, c.Quit()
}

func (d *Device) downloadNew(c *pop3.Client, opts POP3Options) (POP3Report, error) {
	var r POP3Report
	list, err := c.Uidl()
	if err != nil {
		return r, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	for _, m := range list {
		key := "pop3:" + m.UID
		if l, ok := d.get(key); ok {
			// A copy left on the server: old enough, it goes now (the
			// server removes it at QUIT, RFC 1939 §6).
			if opts.LeaveCopy && opts.DeleteAfter > 0 && l.OnServer && !l.Fetched.IsZero() &&
				now().Sub(l.Fetched) >= opts.DeleteAfter {
				if err := c.Dele(m.Number); err != nil {
					return r, err
				}
				d.update(key, func(l *Local) { l.OnServer = false })
				r.Deleted++
			}
			continue
		}
		raw, err := c.Retr(m.Number)
		if err != nil {
			return r, err
		}
		subject, from := summarize(raw)
		d.remember(Local{Key: key, Subject: subject, From: from, Size: len(raw), Via: "pop3",
			OnServer: opts.LeaveCopy, Raw: raw, Fetched: now()})
		r.New++
		if !opts.LeaveCopy {
			if err := c.Dele(m.Number); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

func (d *Device) get(key string) (Local, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, ok := d.local[key]
	return l, ok
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
