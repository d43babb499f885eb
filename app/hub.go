package app

import "sync"

// Message is one pushed event: the envelope every transport carries.
type Message struct {
	Name string `json:"name"`
	Data any    `json:"data"`
}

// Hub fans pushed events out to the desktop window and to browser viewers.
type Hub struct {
	mu   sync.Mutex
	subs map[int]func(Message)
	next int
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[int]func(Message){}} }

// Subscribe registers fn; it must not block (transports buffer).
func (h *Hub) Subscribe(fn func(Message)) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	h.subs[id] = fn
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, id)
	}
}

// Publish sends a message to every subscriber.
func (h *Hub) Publish(name string, data any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, fn := range h.subs {
		fn(Message{Name: name, Data: data})
	}
}
