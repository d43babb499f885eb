package mta

import "time"

// State is where a queued message (or one recipient of it) stands.
type State string

const (
	StateQueued     State = "queued"        // waiting for its first attempt
	StateLookingUp  State = "looking-up-mx" // asking DNS for the MX (RFC 5321 §5.1)
	StateConnecting State = "connecting"    // opening TCP to the MX
	StateSending    State = "sending"       // in the SMTP transaction
	StateSent       State = "sent"          // the MX answered 250 after DATA
	StateDeferred   State = "deferred"      // a 4xx or no connection: retry at NextRetry
	StateBounced    State = "bounced"       // failed for good; a DSN went to the sender
	// StateFailed: failed for good and no DSN was sent, because the message
	// was itself a bounce (null sender, RFC 5321 §4.5.5, RFC 3464 §2).
	StateFailed State = "failed"
)

// Recipient is one envelope recipient of an item.
type Recipient struct {
	Addr  string `json:"addr"`
	State State  `json:"state"`           // queued, sent, deferred, bounced or failed
	Reply string `json:"reply,omitempty"` // the last answer about it: "550 5.1.1 <...>: ..."
	// Status is the enhanced status code of that answer (RFC 3463),
	// also of one the MTA gave itself ("4.4.1": no connection).
	Status string `json:"status,omitempty"`
}

// Item is a message on its way to one destination domain. A message for
// several domains becomes one item per domain, all with the same ID.
type Item struct {
	ID        string      `json:"id"` // the queue id the MSA announced ("queued as ...")
	Domain    string      `json:"domain"`
	From      string      `json:"from"`
	To        []Recipient `json:"to"`
	Size      int         `json:"size"`
	State     State       `json:"state"`
	Attempts  int         `json:"attempts"`
	Arrived   time.Time   `json:"arrived"`
	NextRetry time.Time   `json:"nextRetry,omitzero"` // when deferred
	LastError string      `json:"lastError,omitempty"`
	// Expired: it stayed deferred longer than the queue's lifetime and
	// went back to its sender (Postfix: "status=expired, returned to
	// sender").
	Expired bool   `json:"expired,omitempty"`
	MX      string `json:"mx,omitempty"`   // the MX host tried last
	Addr    string `json:"addr,omitempty"` // the ip:port dialled last
}

func (it Item) clone() Item {
	it.To = append([]Recipient(nil), it.To...)
	return it
}

// pending reports whether a recipient still waits for delivery.
func (r Recipient) pending() bool { return r.State == StateQueued || r.State == StateDeferred }
