package pop3

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// MemoryBackend is a Backend that keeps users and messages in memory, for
// tests and for simulations without a mail store. User names are
// case-insensitive.
type MemoryBackend struct {
	mu    sync.Mutex
	users map[string]*memUser
	next  int
}

type memUser struct {
	pass string
	msgs []memMessage
}

type memMessage struct {
	uid  string
	data []byte
}

var _ Backend = (*MemoryBackend)(nil)

// NewMemoryBackend returns a backend without users.
func NewMemoryBackend() *MemoryBackend {
	return &MemoryBackend{users: map[string]*memUser{}}
}

// AddUser creates a user or changes its password.
func (b *MemoryBackend) AddUser(user, pass string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if u := b.users[strings.ToLower(user)]; u != nil {
		u.pass = pass
		return
	}
	b.users[strings.ToLower(user)] = &memUser{pass: pass}
}

// Deliver appends a message to the user's maildrop and returns its UID.
func (b *MemoryBackend) Deliver(user string, data []byte) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.users[strings.ToLower(user)]
	if u == nil {
		return "", fmt.Errorf("pop3: no user %q", user)
	}
	b.next++
	uid := fmt.Sprintf("mem-%d", b.next)
	u.msgs = append(u.msgs, memMessage{uid: uid, data: slices.Clone(data)})
	return uid, nil
}

// Stored returns the UIDs in the user's maildrop now.
func (b *MemoryBackend) Stored(user string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var uids []string
	if u := b.users[strings.ToLower(user)]; u != nil {
		for _, m := range u.msgs {
			uids = append(uids, m.uid)
		}
	}
	return uids
}

// Login implements Backend.
func (b *MemoryBackend) Login(user, pass string) (Maildrop, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.users[strings.ToLower(user)]
	if u == nil || subtle.ConstantTimeCompare([]byte(u.pass), []byte(pass)) != 1 {
		return nil, ErrAuth
	}
	return &memDrop{b: b, user: strings.ToLower(user)}, nil
}

// APOP implements Backend (RFC 1939 §7).
func (b *MemoryBackend) APOP(user, timestamp, digest string) (Maildrop, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	u := b.users[strings.ToLower(user)]
	if u == nil || subtle.ConstantTimeCompare([]byte(APOPDigest(timestamp, u.pass)), []byte(digest)) != 1 {
		return nil, ErrAuth
	}
	return &memDrop{b: b, user: strings.ToLower(user)}, nil
}

// APOPDigest is the APOP digest: lower-case hex MD5 of the greeting's
// timestamp followed by the shared secret (RFC 1939 §7).
func APOPDigest(timestamp, secret string) string {
	sum := md5.Sum([]byte(timestamp + secret))
	return hex.EncodeToString(sum[:])
}

type memDrop struct {
	b    *MemoryBackend
	user string
}

func (d *memDrop) Messages() ([]Message, error) {
	d.b.mu.Lock()
	defer d.b.mu.Unlock()
	var msgs []Message
	for _, m := range d.b.users[d.user].msgs {
		data := m.data
		msgs = append(msgs, Message{UID: m.uid, Size: WireSize(data),
			Open: func() ([]byte, error) { return data, nil }})
	}
	return msgs, nil
}

func (d *memDrop) Delete(uids []string) error {
	d.b.mu.Lock()
	defer d.b.mu.Unlock()
	u := d.b.users[d.user]
	u.msgs = slices.DeleteFunc(u.msgs, func(m memMessage) bool {
		return slices.Contains(uids, m.uid)
	})
	return nil
}

func (d *memDrop) Close() {}
