package store

import (
	"errors"
	"fmt"
	"strings"
)

// DefaultQuota is the storage each account may fill (RFC 9208 STORAGE
// resource) when SetQuota was not called: 50 MiB, enough for a day of
// lessons and small enough that a flood of large mail fills it.
const DefaultQuota int64 = 50 << 20

// ErrOverQuota is returned when a message would take an account over its
// quota; IMAP answers NO [OVERQUOTA] (RFC 9208 §4.3), the MDA
// 552 5.2.2 Mailbox full (RFC 3463).
var ErrOverQuota = errors.New("store: mailbox full (over quota)")

// Usage is how much an account stores against its quota, in octets.
type Usage struct {
	Used  int64 `json:"used"`
	Quota int64 `json:"quota"` // 0: no limit
}

// Room is how many more octets fit; -1 means no limit.
func (u Usage) Room() int64 {
	if u.Quota <= 0 {
		return -1
	}
	return max(u.Quota-u.Used, 0)
}

// Fits reports whether n more octets fit.
func (u Usage) Fits(n int64) bool { return u.Quota <= 0 || u.Used+n <= u.Quota }

// SetQuota sets the storage quota of every account without one of its
// own (SetUserQuota) in octets; 0 or less removes the limit. Messages already stored stay even over the new quota.
func (s *Store) SetQuota(octets int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quota = max(octets, 0)
}

// Usage returns an account's storage usage and quota.
func (s *Store) Usage(address string) (Usage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(address)
	if err != nil {
		return Usage{}, err
	}
	return s.usageLocked(u), nil
}

func (s *Store) usageLocked(u *user) Usage {
	if u.quota != nil {
		return Usage{Used: u.used, Quota: *u.quota}
	}
	return Usage{Used: u.used, Quota: s.quota}
}

// reserveLocked checks that n more octets fit into u's quota; s.mu must
// be held.
func (s *Store) reserveLocked(u *user, n int64) error {
	if us := s.usageLocked(u); !us.Fits(n) {
		return fmt.Errorf("%w: %s uses %d of %d octets, the message needs %d", ErrOverQuota,
			strings.ToLower(u.address), us.Used, us.Quota, n)
	}
	return nil
}
