package store

// ClaimRecent hands the \Recent flag of IMAP4rev1 (RFC 3501 §2.3.2) to one
// session: every message with a UID from the mailbox's first unclaimed UID
// up to upTo is recent in the calling session and in no other, which
// ClaimRecent makes sure of by moving the mark past upTo. It returns the
// first UID the caller now owns as recent; UIDs below it (or all, when it
// is above upTo) were claimed before. \Recent is not a stored flag: it
// changes no message, and no Change is published.
//
// A session that opens the mailbox read-write claims the messages it finds
// (SELECT) and those that arrive while it has it open; EXAMINE only looks
// (MailboxInfo.FirstRecent), as RFC 3501 §6.3.2 asks.
func (s *Store) ClaimRecent(address, mailbox string, upTo uint32) (first uint32, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, mb, err := s.mailboxLocked(address, mailbox)
	if err != nil {
		return 0, err
	}
	first = max(mb.firstRecent, 1)
	if upTo >= first {
		mb.firstRecent = upTo + 1
	}
	return first, nil
}
