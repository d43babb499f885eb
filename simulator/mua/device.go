package mua

import (
	"crypto/tls"
	"net"
	"sort"
	"sync"
	"time"

	"bytes"
	gomail "github.com/emersion/go-message/mail"
)

// Device is one mail client on one machine (Alice's laptop, Bob's phone).
type Device struct {
	Node    string
	Account Account
	Net     Net

	mu    sync.Mutex
	local map[string]Local // what this device has stored, keyed by UID/UIDL
	// folders are the IMAP mailboxes the device last listed.
	folders []string
	seq     int
	subs    map[int]func()
	next    int
	// caches is what the device remembers of each IMAP mailbox between
	// sessions (a QRESYNC client's cache, RFC 7162 §3.2.5).
	caches map[string]MailboxCache
}

// OnChange calls fn after the device's local store changed.
func (d *Device) OnChange(fn func()) (cancel func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.subs == nil {
		d.subs = map[int]func(){}
	}
	id := d.next
	d.next++
	d.subs[id] = fn
	return func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		delete(d.subs, id)
	}
}

// notifyLocked calls the subscribers; they must not call back into d.
func (d *Device) notifyLocked() {
	for _, fn := range d.subs {
		fn()
	}
}

// Local is a message as the device stores or shows it.
type Local struct {
	Key      string `json:"key"` // UIDL (POP3) or "imap:UID"
	Subject  string `json:"subject"`
	From     string `json:"from"`
	Size     int    `json:"size"`
	Seen     bool   `json:"seen"`
	Flagged  bool   `json:"flagged,omitempty"` // \Flagged, starred in the client
	Via      string `json:"via"`               // pop3 or imap
	OnServer bool   `json:"onServer"`
	Raw      []byte `json:"-"`
	Stored   int    `json:"-"` // order of arrival on the device
	// Fetched is when POP3 downloaded it, by the world's clock (the UIDL
	// it is kept under is remembered with it, for "delete after N days").
	Fetched time.Time `json:"-"`
}

// NewDevice returns a device with an empty local store.
func NewDevice(node string, acct Account, n Net) *Device {
	return &Device{Node: node, Account: acct, Net: n, local: map[string]Local{}}
}

func tlsClient(c net.Conn, cfg *tls.Config) net.Conn { return tls.Client(c, cfg) }

// remember stores or updates a message on the device.
func (d *Device) remember(l Local) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.local[l.Key]; ok {
		l.Stored = old.Stored
		if l.Raw == nil {
			l.Raw = old.Raw
		}
	} else {
		d.seq++
		l.Stored = d.seq
	}
	d.local[l.Key] = l
	d.notifyLocked()
}

// update changes a stored message in place (false when the device does
// not have it).
func (d *Device) update(key string, fn func(*Local)) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, ok := d.local[key]
	if !ok {
		return false
	}
	fn(&l)
	d.local[key] = l
	d.notifyLocked()
	return true
}

func (d *Device) forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.local, key)
	d.notifyLocked()
}

// Messages lists what the device has, in order of arrival.
func (d *Device) Messages() []Local {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Local, 0, len(d.local))
	for _, l := range d.local {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Stored < out[j].Stored })
	return out
}

// summarize reads Subject and From from a raw message.
func summarize(raw []byte) (subject, from string) {
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return "", ""
	}
	subject, _ = r.Header.Subject()
	if list, err := r.Header.AddressList("From"); err == nil && len(list) > 0 {
		from = list[0].Address
	}
	return subject, from
}

// Folders are the IMAP mailboxes the device last listed (nil before).
func (d *Device) Folders() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.folders...)
}

// Message returns one stored message by key.
func (d *Device) Message(key string) (Local, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, ok := d.local[key]
	return l, ok
}
