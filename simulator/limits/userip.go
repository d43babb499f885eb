package limits

import "sync"

// DefaultPerUserAddr caps one user's logged-in sessions from one client
// address, as Dovecot's mail_max_userip_connections (10 for IMAP): a
// client that opens a connection per folder and never closes any cannot
// hold a server for one account, while the laptop, the phone and a
// teacher's demo of the same account share the projector PC's 127.0.0.1
// with room to spare.
const DefaultPerUserAddr = 10

// UserAddr counts logged-in sessions per user and client address.
type UserAddr struct {
	max int

	mu sync.Mutex
	n  map[userAddr]int
}

type userAddr struct{ user, addr string }

// NewUserAddr allows max sessions per user and address (0: DefaultPerUserAddr).
func NewUserAddr(max int) *UserAddr {
	if max <= 0 {
		max = DefaultPerUserAddr
	}
	return &UserAddr{max: max, n: map[userAddr]int{}}
}

// Max is the number of sessions allowed.
func (u *UserAddr) Max() int { return u.max }

// Acquire counts one more session of user from addr; ok is false (and
// nothing is counted) when that would pass the cap. release undoes a
// successful Acquire; calling it more than once does nothing more.
func (u *UserAddr) Acquire(user, addr string) (release func(), ok bool) {
	k := userAddr{user, addr}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.n[k] >= u.max {
		return func() {}, false
	}
	u.n[k]++
	var once sync.Once
	return func() {
		once.Do(func() {
			u.mu.Lock()
			defer u.mu.Unlock()
			if u.n[k]--; u.n[k] <= 0 {
				delete(u.n, k)
			}
		})
	}, true
}
