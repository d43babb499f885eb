package imap

import (
	"sync"

	"maillab/simulator/store"
)

// hub passes the store's changes to every selected-mailbox view. It is the
// one store subscriber of a Server.
type hub struct {
	mu    sync.Mutex
	views map[*view]struct{}
}

func newHub() *hub { return &hub{views: map[*view]struct{}{}} }

func (h *hub) add(v *view) {
	h.mu.Lock()
	h.views[v] = struct{}{}
	h.mu.Unlock()
}

func (h *hub) remove(v *view) {
	h.mu.Lock()
	delete(h.views, v)
	h.mu.Unlock()
}

// publish runs inside the store's notification; it only queues.
func (h *hub) publish(c store.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for v := range h.views {
		v.offer(c)
	}
}
