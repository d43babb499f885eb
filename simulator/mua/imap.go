package mua

import (
	"context"
	"fmt"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// IMAPSession is a device's open IMAP connection with INBOX selected.
type IMAPSession struct {
	d       *Device
	c       *imapclient.Client
	changed chan struct{} // the server pushed EXISTS, EXPUNGE or FLAGS

	mode  imapMode
	mu    sync.Mutex
	flags map[uint32][]imap.Flag // by sequence number, from unilateral FETCH
	cache MailboxCache           // modeQResync: what the device will remember of INBOX
}

// imapMode is what a device's IMAP client enables after LOGIN.
type imapMode int

const (
	modeRev1    imapMode = iota
	modeRev2             // ENABLE IMAP4rev2 (RFC 9051 §6.3.1)
	modeQResync          // ENABLE QRESYNC (RFC 7162 §3.2.3)
)

// OpenIMAP connects (STARTTLS on 143 by default, or 993), logs in with
// LOGIN and selects INBOX (RFC 9051 §6.2.3, §6.3.2).
func (d *Device) OpenIMAP(ctx context.Context, sec Security) (*IMAPSession, error) {
	return d.openIMAP(ctx, sec, modeRev1)
}

// OpenIMAP4rev2 is OpenIMAP for a client that speaks IMAP4rev2: after
// LOGIN it sends ENABLE IMAP4rev2 (RFC 9051 §6.3.1), so the server drops
// RECENT and [UNSEEN] and answers SEARCH with ESEARCH.
func (d *Device) OpenIMAP4rev2(ctx context.Context, sec Security) (*IMAPSession, error) {
	return d.openIMAP(ctx, sec, modeRev2)
}

func (d *Device) openIMAP(ctx context.Context, sec Security, mode imapMode) (*IMAPSession, error) {
	s := &IMAPSession{d: d, mode: mode, changed: make(chan struct{}, 1), flags: map[uint32][]imap.Flag{}}
	c, err := d.imapClient(ctx, sec, s.handler())
	if err != nil {
		return nil, err
	}
	s.c = c
	// Learn the capabilities before LOGIN, as most clients do after
	// STARTTLS (RFC 9051 §6.2.1 says to discard the old ones). Caps waits
	// for imapclient's own CAPABILITY instead of racing LOGIN against it.
	if c.Caps() == nil {
		c.Close()
		return nil, fmt.Errorf("mua: IMAP: no capabilities from %s", d.Account.MailHost)
	}
	if err := c.Login(d.Account.Address, d.Account.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("mua: IMAP LOGIN: %w", err)
	}
	if err := s.enable(); err != nil {
		c.Close()
		return nil, fmt.Errorf("mua: IMAP ENABLE: %w", err)
	}
	if s.mode == modeQResync {
		if err := s.resync(ctx); err != nil {
			c.Close()
			return nil, err
		}
		return s, nil
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

// enable sends ENABLE for the session's mode, when the server offers it.
func (s *IMAPSession) enable() error {
	var capability imap.Cap
	switch s.mode {
	case modeRev2:
		capability = imap.CapIMAP4rev2
	case modeQResync:
		capability = imap.CapQResync
		if !s.c.Caps().Has(capability) {
			s.mode = modeRev1 // an older server: a plain SELECT and a full sync
			return nil
		}
	default:
		return nil
	}
	_, err := s.c.Enable(capability).Wait()
	return err
}

func (d *Device) imapClient(ctx context.Context, sec Security, h *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	port := 143
	if sec == Implicit {
		port = 993
	}
	conn, err := d.Net.DialService(ctx, d.Node, d.Account.MailHost, port)
	if err != nil {
		return nil, err
	}
	opts := &imapclient.Options{UnilateralDataHandler: h, TLSConfig: d.Net.NodeTLS(d.Node, d.Account.MailHost)}
	switch sec {
	case Implicit:
		return imapclient.New(tlsClient(conn, opts.TLSConfig), opts), nil
	case Plain:
		return imapclient.New(conn, opts), nil
	}
	c, err := imapclient.NewStartTLS(conn, opts)
	if err != nil {
		conn.Close()
	}
	return c, err
}

func (s *IMAPSession) handler() *imapclient.UnilateralDataHandler {
	return &imapclient.UnilateralDataHandler{
		Expunge: func(uint32) { s.signal() },
		Mailbox: func(*imapclient.UnilateralDataMailbox) { s.signal() },
		Fetch: func(msg *imapclient.FetchMessageData) {
			buf, err := msg.Collect()
			if err == nil {
				s.mu.Lock()
				s.flags[buf.SeqNum] = buf.Flags
				s.mu.Unlock()
				if s.mode == modeQResync && buf.UID != 0 {
					s.flagsChanged(buf.UID, buf.Flags, buf.ModSeq)
					s.saveCache()
				}
			}
			s.signal()
		},
		// With QRESYNC enabled, "* VANISHED uids" replaces EXPUNGE
		// (RFC 7162 §3.2.10).
		Vanished: func(v *imapclient.UnilateralDataVanished) {
			s.vanished(v.UIDs)
			s.saveCache()
			s.signal()
		},
	}
}

func (s *IMAPSession) signal() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Sync fetches UID, FLAGS, ENVELOPE and size of every message in INBOX and
// mirrors them on the device (the mail stays on the server). It asks by
// UID (UID FETCH 1:*), which is valid on an empty mailbox too, so it does
// not depend on how many messages the client believes there are.
func (s *IMAPSession) Sync(ctx context.Context) error {
	var all imap.UIDSet
	all.AddRange(1, 0) // 1:*
	msgs, err := s.c.Fetch(all, &imap.FetchOptions{
		UID: true, Flags: true, Envelope: true, RFC822Size: true}).Collect()
	if err != nil {
		return err
	}
	s.d.clearVia("imap")
	s.mu.Lock()
	s.cache.UIDs = nil
	s.mu.Unlock()
	s.keep(msgs)
	return nil
}

// Unseen asks the server which messages are unread (UID SEARCH UNSEEN,
// RFC 9051 §6.4.4).
func (s *IMAPSession) Unseen(ctx context.Context) ([]imap.UID, error) {
	data, err := s.c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return nil, err
	}
	return data.AllUIDs(), nil
}

// Read opens a message the way a user does: FETCH BODY[] without PEEK, which
// makes the server set \Seen (RFC 9051 §6.4.5).
func (s *IMAPSession) Read(ctx context.Context, uid imap.UID) error {
	msgs, err := s.c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{
		UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{{}}}).Collect()
	if err != nil {
		return err
	}
	for _, m := range msgs {
		key := fmt.Sprintf("imap:%d", m.UID)
		var raw []byte
		for _, b := range m.BodySection {
			raw = b.Bytes
		}
		subject, from := summarize(raw)
		s.d.remember(Local{Key: key, Subject: subject, From: from, Size: len(raw), Seen: true,
			Flagged: hasFlag(m.Flags, imap.FlagFlagged), Via: "imap", OnServer: true, Raw: raw})
	}
	return nil
}

// Idling is a running IDLE command (RFC 2177).
type Idling struct {
	s   *IMAPSession
	cmd *imapclient.IdleCommand
}

// StartIdle sends IDLE and returns once the server has answered "+ idling".
func (s *IMAPSession) StartIdle() (*Idling, error) {
	cmd, err := s.c.Idle()
	if err != nil {
		return nil, err
	}
	return &Idling{s: s, cmd: cmd}, nil
}

// WaitChange waits until the server pushes a change (or ctx ends), then
// sends DONE and syncs. A QRESYNC session has applied the change already:
// its FETCH carries the UID and VANISHED names the UIDs.
func (i *Idling) WaitChange(ctx context.Context) error {
	if err := i.WaitFor(ctx, func() bool { return true }); err != nil {
		return err
	}
	if i.s.mode == modeQResync {
		return nil
	}
	return i.s.Sync(ctx)
}

// WaitFor waits until the server has pushed a change after which done
// reports true (or ctx ends), then sends DONE. A QRESYNC session applies
// each change to the device as it arrives, so done can look there.
func (i *Idling) WaitFor(ctx context.Context, done func() bool) error {
	for waiting := true; waiting; {
		select {
		case <-i.s.changed:
			waiting = !done()
		case <-ctx.Done():
			waiting = false
		}
	}
	if err := i.cmd.Close(); err != nil {
		return err
	}
	if err := i.cmd.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// QResync reports whether the session enabled QRESYNC (RFC 7162 §3.2.3):
// then the device keeps a cache and the server names changes by UID.
func (s *IMAPSession) QResync() bool { return s.mode == modeQResync }

// Logout ends the session politely (RFC 9051 §6.1.3).
func (s *IMAPSession) Logout() error {
	err := s.c.Logout().Wait()
	s.c.Close()
	return err
}

// Close drops the connection without LOGOUT (used on reset).
func (s *IMAPSession) Close() error { return s.c.Close() }

func (d *Device) clearVia(via string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, l := range d.local {
		if l.Via == via && l.Raw == nil {
			delete(d.local, k)
		}
	}
	d.notifyLocked()
}

func envSubject(e *imap.Envelope) string {
	if e == nil {
		return ""
	}
	return e.Subject
}

func envFrom(e *imap.Envelope) string {
	if e == nil || len(e.From) == 0 {
		return ""
	}
	return e.From[0].Addr()
}

func hasSeen(flags []imap.Flag) bool {
	for _, f := range flags {
		if f == imap.FlagSeen {
			return true
		}
	}
	return false
}

// Folders lists the account's mailboxes (LIST "" "*", RFC 9051 §6.3.9)
// and keeps their names on the device.
func (s *IMAPSession) Folders(ctx context.Context) ([]string, error) {
	list, err := s.c.List("", "*", nil).Collect()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(list))
	for _, m := range list {
		names = append(names, m.Mailbox)
	}
	s.d.mu.Lock()
	s.d.folders = names
	s.d.notifyLocked()
	s.d.mu.Unlock()
	return names, nil
}
