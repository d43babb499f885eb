package pop3

import "errors"

// ErrAuth is what a Backend returns for a wrong user name or password. The
// server answers "-ERR [AUTH] ..." (RFC 3206) and counts the failure.
var ErrAuth = errors.New("pop3: invalid user name or password")

// Backend checks credentials and opens maildrops.
type Backend interface {
	// Login checks the password; user is the full address. Returns ErrAuth
	// on bad credentials.
	Login(user, pass string) (Maildrop, error)
	// APOP returns the maildrop when digest == md5hex(timestamp+password)
	// (RFC 1939 §7). digest arrives in lower case.
	APOP(user, timestamp, digest string) (Maildrop, error)
}

// Maildrop is one user's mailbox for the length of a session.
type Maildrop interface {
	// Messages is a snapshot taken at login (RFC 1939 §4: the maildrop as
	// of session start). The server calls it once, after taking the lock.
	Messages() ([]Message, error)
	// Delete removes the given messages for good; called only in the
	// UPDATE state (RFC 1939 §6), that is after QUIT in TRANSACTION.
	Delete(uids []string) error
	// Close is called when the session ends, whatever happened.
	Close()
}

// Message is one message of a maildrop snapshot.
type Message struct {
	// UID is stable across sessions and unique in the maildrop: 1 to 70
	// characters in 0x21..0x7E (RFC 1939 §7, UIDL).
	UID string
	// Size is the size in octets as sent on the wire with CRLF line
	// endings, before dot-stuffing (RFC 1939 §11); see WireSize.
	Size int
	// Open returns the message content; LF or CRLF line endings.
	Open func() ([]byte, error)
}
