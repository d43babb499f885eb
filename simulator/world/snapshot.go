package world

import (
	"time"

	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/store"
)

// Snapshot is where every message is right now: in a queue, in a mailbox
// on a server, or stored on a device.
type Snapshot struct {
	Queue     []QueueItem       `json:"queue"`
	Mailboxes []ProviderMailbox `json:"mailboxes"`
	Devices   []DeviceStore     `json:"devices"`
}

// QueueItem is one outgoing message on its way to one domain.
type QueueItem struct {
	mta.Item
	Provider  string    `json:"provider"`
	Addresses []string  `json:"toAddresses"`
	NextRetry time.Time `json:"nextRetry,omitzero"`
}

// ProviderMailbox is one provider's mail store.
type ProviderMailbox struct {
	Domain string               `json:"domain"`
	Users  []store.UserSnapshot `json:"users"`
}

// DeviceStore is what one device keeps locally.
type DeviceStore struct {
	Node     string      `json:"node"`
	Messages []mua.Local `json:"messages"`
}

// Snapshot gathers the queues, mailboxes and devices.
func (w *World) Snapshot() Snapshot {
	s := Snapshot{Queue: []QueueItem{}, Mailboxes: []ProviderMailbox{}, Devices: []DeviceStore{}}
	domains := w.Domains()
	if d := w.RoomDomain(); d != "" {
		domains = append(domains, d)
	}
	for _, d := range domains {
		p := w.providers[d]
		if p == nil {
			continue
		}
		for _, it := range p.Queue.Snapshot() {
			s.Queue = append(s.Queue, queueItem(d, it))
		}
		s.Mailboxes = append(s.Mailboxes, ProviderMailbox{Domain: d, Users: p.Store.Snapshot()})
	}
	for _, id := range append([]string{"alice-laptop", "bob-laptop", "bob-phone", "carol-laptop", "dave-laptop", "erin-laptop"}, w.RoomDevices()...) {
		if dev := w.devices[id]; dev != nil {
			s.Devices = append(s.Devices, DeviceStore{Node: id, Messages: dev.Messages()})
		}
	}
	return s
}

func queueItem(provider string, it mta.Item) QueueItem {
	q := QueueItem{Item: it, Provider: provider, NextRetry: it.NextRetry}
	for _, r := range it.To {
		q.Addresses = append(q.Addresses, r.Addr)
	}
	return q
}

// OnChange calls fn (without arguments, possibly often and from any
// goroutine) whenever a queue, a mailbox or a device changes. fn must not
// block; the app layer debounces it.
func (w *World) OnChange(fn func()) (cancel func()) {
	var cancels []func()
	for _, p := range w.providers {
		cancels = append(cancels, p.Queue.Subscribe(func(mta.Item) { fn() }))
		cancels = append(cancels, p.Store.Subscribe(func(store.Change) { fn() }))
	}
	for _, d := range w.devices {
		cancels = append(cancels, d.OnChange(fn))
	}
	return func() {
		for _, c := range cancels {
			c()
		}
	}
}
