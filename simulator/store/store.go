// Package store keeps the mailboxes of one mail provider (one domain) in
// memory. The MDA delivers into it, the POP3 and IMAP servers read and change
// it, and every change is announced as a typed Change to subscribers, so an
// IMAP session on Bob's phone learns what the laptop did.
//
// All methods are safe for concurrent use.
package store

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Errors returned by the store. Callers map them to protocol replies.
var (
	ErrAuth          = errors.New("store: authentication failed")
	ErrNoUser        = errors.New("store: no such user")
	ErrUserExists    = errors.New("store: user already exists")
	ErrWrongDomain   = errors.New("store: address is not in this store's domain")
	ErrNoMailbox     = errors.New("store: no such mailbox")
	ErrMailboxExists = errors.New("store: mailbox already exists")
	ErrInvalidName   = errors.New("store: invalid mailbox name")
	ErrInvalidFlag   = errors.New("store: invalid flag")
)

// Default mailboxes every user gets. INBOX is special in IMAP (RFC 9051
// §5.1: its name is case-insensitive and it cannot be deleted).
const (
	Inbox = "INBOX"
	Sent  = "Sent"
	Trash = "Trash"
)

// Store is the mail store of one domain.
type Store struct {
	domain string

	// writeMu serialises mutations together with their notifications, so
	// subscribers see changes in exactly the order they were applied.
	writeMu sync.Mutex
	// mu guards the data below; readers take only mu.
	mu           sync.Mutex
	users        map[string]*user // key: lower-case address
	nextValidity uint32
	quota        int64 // octets per account; 0: no limit

	subMu   sync.Mutex
	subs    []subscriber
	nextSub int
}

type user struct {
	address   string
	password  string
	mailboxes map[string]*mailbox
	// subscriptions are the mailbox names subscribed with IMAP SUBSCRIBE
	// (RFC 9051 §6.3.7), kept apart from the mailboxes as Dovecot does.
	subscriptions map[string]bool
	used          int64  // octets of all its messages, counted against the quota
	quota         *int64 // its own quota (SetUserQuota; 0: no limit); nil: the store's
}

// New returns an empty store for domain (e.g. "example.net").
//
// UIDVALIDITY values start at the current Unix time, as RFC 9051 §2.3.1.1
// suggests, so a real mail client that cached a mailbox of an earlier run
// notices that the UIDs it knows are no longer valid.
func New(domain string) *Store {
	return &Store{
		domain:       strings.ToLower(domain),
		users:        map[string]*user{},
		nextValidity: uint32(time.Now().Unix()),
		quota:        DefaultQuota,
	}
}

// Domain returns the domain this store serves.
func (s *Store) Domain() string { return s.domain }

// AddUser creates an account with the mailboxes INBOX, Sent and Trash,
// subscribed.
func (s *Store) AddUser(address, password string) error {
	at := strings.LastIndexByte(address, '@')
	if at < 1 || !strings.EqualFold(address[at+1:], s.domain) {
		return fmt.Errorf("%w: %q", ErrWrongDomain, address)
	}
	return s.mutate(func() ([]Change, error) {
		key := strings.ToLower(address)
		if _, ok := s.users[key]; ok {
			return nil, ErrUserExists
		}
		u := &user{address: address, password: password, mailboxes: map[string]*mailbox{}}
		s.users[key] = u
		for _, name := range []string{Inbox, Sent, Trash} {
			u.mailboxes[name] = s.newMailboxLocked(name)
			u.subscribe(name)
		}
		return nil, nil
	})
}

// HasUser reports whether address has an account here.
func (s *Store) HasUser(address string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.users[strings.ToLower(address)]
	return ok
}

// Users returns the addresses of all accounts, sorted.
func (s *Store) Users() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userAddressesLocked()
}

// CheckPassword returns ErrAuth unless password is the account's password.
// Unknown users get the same error and take the same time, so the reply
// does not tell an attacker which accounts exist.
func (s *Store) CheckPassword(address, password string) error {
	want, ok := s.Password(address)
	if !ok {
		want = "\x00no such user\x00"
	}
	if subtle.ConstantTimeCompare([]byte(password), []byte(want)) != 1 || !ok {
		return ErrAuth
	}
	return nil
}

// Password returns the shared secret, which POP3 APOP (RFC 1939 §7) needs
// to compute the expected digest.
func (s *Store) Password(address string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[strings.ToLower(address)]
	if !ok {
		return "", false
	}
	return u.password, true
}

// userLocked finds an account; s.mu must be held.
func (s *Store) userLocked(address string) (*user, error) {
	u, ok := s.users[strings.ToLower(address)]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoUser, address)
	}
	return u, nil
}

// mailboxLocked finds a mailbox of an account; s.mu must be held.
func (s *Store) mailboxLocked(address, name string) (*user, *mailbox, error) {
	u, err := s.userLocked(address)
	if err != nil {
		return nil, nil, err
	}
	mb, ok := u.mailboxes[CanonicalName(name)]
	if !ok {
		return nil, nil, fmt.Errorf("%w: %q", ErrNoMailbox, name)
	}
	return u, mb, nil
}
