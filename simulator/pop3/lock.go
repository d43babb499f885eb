package pop3

import "sync"

// lockTable holds the exclusive maildrop locks of RFC 1939 §4: while one
// session is in TRANSACTION, no other may open the same maildrop.
type lockTable struct {
	mu   sync.Mutex
	held map[string]bool
}

// acquire takes the lock for key; false if another session holds it.
func (t *lockTable) acquire(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.held[key] {
		return false
	}
	t.held[key] = true
	return true
}

func (t *lockTable) release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.held, key)
}
