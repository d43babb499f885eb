package mua

import (
	"context"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// MailboxCache is what a device keeps about one IMAP mailbox between
// sessions, as a real client's offline cache does: the mailbox's
// UIDVALIDITY, the HIGHESTMODSEQ it had last seen and the UIDs it knows.
// With them a QRESYNC client asks the server only for what changed
// (RFC 7162 §3.2.5).
type MailboxCache struct {
	UIDValidity   uint32
	HighestModSeq uint64
	UIDs          []imap.UID // lowest first
}

// knownUIDs is the cache's UIDs as a set for SELECT … (QRESYNC …).
func (m MailboxCache) knownUIDs() imap.UIDSet {
	var set imap.UIDSet
	for _, uid := range m.UIDs {
		set.AddNum(uid)
	}
	return set
}

// IMAPCache returns what the device remembers of a mailbox (false before
// its first QRESYNC-capable session).
func (d *Device) IMAPCache(mailbox string) (MailboxCache, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m, ok := d.caches[mailbox]
	m.UIDs = slices.Clone(m.UIDs)
	return m, ok
}

func (d *Device) setCache(mailbox string, m MailboxCache) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.caches == nil {
		d.caches = map[string]MailboxCache{}
	}
	slices.Sort(m.UIDs)
	d.caches[mailbox] = m
}

// OpenIMAPResync is OpenIMAP for a client that resynchronises cheaply
// (RFC 7162): after LOGIN it sends ENABLE QRESYNC, and when it has a cache
// of INBOX from an earlier session it selects with
// "SELECT INBOX (QRESYNC (uidvalidity modseq known-uids))", so the server
// sends only the changes: "* VANISHED (EARLIER) …" for what was expunged
// and a FETCH with FLAGS and MODSEQ for what changed. They are applied to
// the device at once. Without a cache (or when UIDVALIDITY changed) it
// selects plainly and syncs everything (UID FETCH 1:*), which fills the
// cache. A server without QRESYNC gets a plain SELECT and must be synced
// with Sync, as after OpenIMAP (QResync reports false).
func (d *Device) OpenIMAPResync(ctx context.Context, sec Security) (*IMAPSession, error) {
	return d.openIMAP(ctx, sec, modeQResync)
}

// resync selects INBOX on a session that sent ENABLE QRESYNC.
func (s *IMAPSession) resync(ctx context.Context) error {
	cache, ok := s.d.IMAPCache("INBOX")
	if !ok || cache.HighestModSeq == 0 {
		sel, err := s.c.Select("INBOX", nil).Wait()
		if err != nil {
			return err
		}
		return s.startCache(ctx, sel)
	}
	sel, changes, err := s.c.SelectQResync("INBOX", &imapclient.QResyncOptions{
		UIDValidity: cache.UIDValidity, ModSeq: cache.HighestModSeq, KnownUIDs: cache.knownUIDs()}).WaitQResync()
	if err != nil {
		return err
	}
	if sel.UIDValidity != cache.UIDValidity {
		// Every UID the device knew is void (RFC 9051 §2.3.1.1): start over.
		return s.startCache(ctx, sel)
	}
	last := lastUID(cache.UIDs)
	s.mu.Lock()
	s.cache = cache // a copy: IMAPCache cloned the UIDs
	s.cache.HighestModSeq = sel.HighestModSeq
	s.mu.Unlock()
	s.vanished(changes.Vanished)
	for _, m := range changes.Changed {
		s.flagsChanged(m.UID, m.Flags, m.ModSeq)
	}
	s.saveCache()
	if sel.UIDNext > last+1 {
		return s.fetchNew(last + 1)
	}
	return nil
}

// startCache forgets what the device knew of INBOX and syncs it whole.
func (s *IMAPSession) startCache(ctx context.Context, sel *imap.SelectData) error {
	s.mu.Lock()
	s.cache = MailboxCache{UIDValidity: sel.UIDValidity, HighestModSeq: sel.HighestModSeq}
	s.mu.Unlock()
	return s.Sync(ctx)
}

// fetchNew asks for the messages that arrived since the last session:
// UID FETCH from the first UID the device does not know.
func (s *IMAPSession) fetchNew(from imap.UID) error {
	var set imap.UIDSet
	set.AddRange(from, 0)
	msgs, err := s.c.Fetch(set, &imap.FetchOptions{
		UID: true, Flags: true, Envelope: true, RFC822Size: true}).Collect()
	if err != nil {
		return err
	}
	s.keep(msgs)
	return nil
}

// keep stores fetched list data on the device and in the session's cache.
func (s *IMAPSession) keep(msgs []*imapclient.FetchMessageBuffer) {
	for _, m := range msgs {
		s.d.remember(Local{Key: imapKey(m.UID), Subject: envSubject(m.Envelope), From: envFrom(m.Envelope),
			Size: int(m.RFC822Size), Seen: hasFlag(m.Flags, imap.FlagSeen), Flagged: hasFlag(m.Flags, imap.FlagFlagged),
			Via: "imap", OnServer: true})
		s.mu.Lock()
		if !slices.Contains(s.cache.UIDs, m.UID) {
			s.cache.UIDs = append(s.cache.UIDs, m.UID)
		}
		s.mu.Unlock()
	}
	s.saveCache()
}

// vanished forgets messages the server reports expunged by UID.
func (s *IMAPSession) vanished(uids imap.UIDSet) {
	list, _ := uids.Nums()
	for _, uid := range list {
		s.d.forget(imapKey(uid))
		s.mu.Lock()
		s.cache.UIDs = slices.DeleteFunc(s.cache.UIDs, func(u imap.UID) bool { return u == uid })
		s.mu.Unlock()
	}
}

// flagsChanged applies new flags of a message the device knows.
func (s *IMAPSession) flagsChanged(uid imap.UID, flags []imap.Flag, modSeq uint64) {
	s.d.update(imapKey(uid), func(l *Local) {
		l.Seen = hasFlag(flags, imap.FlagSeen)
		l.Flagged = hasFlag(flags, imap.FlagFlagged)
	})
	s.mu.Lock()
	if modSeq > s.cache.HighestModSeq {
		s.cache.HighestModSeq = modSeq
	}
	s.mu.Unlock()
}

func (s *IMAPSession) saveCache() {
	if s.mode != modeQResync {
		return
	}
	s.mu.Lock()
	c := s.cache
	c.UIDs = slices.Clone(c.UIDs)
	s.mu.Unlock()
	s.d.setCache("INBOX", c)
}

// SetFlag adds a flag to a message, as a user does who stars a mail
// (UID STORE uid +FLAGS (\Flagged), RFC 9051 §6.4.6).
func (s *IMAPSession) SetFlag(ctx context.Context, uid imap.UID, flag imap.Flag) error {
	msgs, err := s.c.Store(imap.UIDSetNum(uid), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{flag}},
		nil).Collect()
	if err != nil {
		return err
	}
	for _, m := range msgs {
		s.flagsChanged(m.UID, m.Flags, m.ModSeq)
	}
	return nil
}

// Delete removes one message from the server, as a client does when the
// user deletes it without a Trash folder: UID STORE +FLAGS.SILENT
// (\Deleted), then UID EXPUNGE of just that UID (RFC 9051 §6.4.6, §6.4.9).
func (s *IMAPSession) Delete(ctx context.Context, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	if err := s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true,
		Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		return err
	}
	if err := s.c.UIDExpunge(set).Close(); err != nil {
		return err
	}
	s.vanished(set)
	s.saveCache()
	return nil
}

func imapKey(uid imap.UID) string { return fmt.Sprintf("imap:%d", uid) }

func lastUID(uids []imap.UID) imap.UID {
	if len(uids) == 0 {
		return 0
	}
	return slices.Max(uids)
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool { return slices.Contains(flags, f) }
