package store

import (
	"slices"
	"strings"
)

// RemoveUser deletes an account with all its mail: logins fail from now
// on, a delivery to it is refused as to an unknown user, and subscribers
// learn that each of its mailboxes is gone.
func (s *Store) RemoveUser(address string) error {
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		delete(s.users, strings.ToLower(address))
		names := make([]string, 0, len(u.mailboxes))
		for name := range u.mailboxes {
			names = append(names, name)
		}
		slices.Sort(names)
		changes := make([]Change, 0, len(names))
		for _, name := range names {
			changes = append(changes, Change{Kind: ChangeMailboxDeleted, User: u.address, Mailbox: name})
		}
		return changes, nil
	})
}

// SetPassword changes an account's password. Sessions already logged in
// stay (as with Dovecot); the next login needs the new one.
func (s *Store) SetPassword(address, password string) error {
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		u.password = password
		return nil, nil
	})
}

// SetUserQuota gives an account a quota of its own in octets (0 or less:
// no limit), instead of the store's (SetQuota). Messages already stored
// stay even over the new quota.
func (s *Store) SetUserQuota(address string, octets int64) error {
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		q := max(octets, 0)
		u.quota = &q
		return nil, nil
	})
}

// ResetUserQuota makes an account follow the store's quota again.
func (s *Store) ResetUserQuota(address string) error {
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		u.quota = nil
		return nil, nil
	})
}
