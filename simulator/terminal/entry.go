package terminal

import "time"

// Kinds of entries.
const (
	KindSent     = "sent"     // a line the user typed, as it was written to the socket
	KindReceived = "received" // a line the server sent, without its CRLF
	KindTLS      = "tls"      // the connection is now encrypted
	KindInfo     = "info"     // a note of the terminal's own (connected, line cut)
	KindClosed   = "closed"   // the session has ended; always the last entry
	KindError    = "error"    // something failed; a "closed" entry follows when it ends the session
)

// Entry is one line of a terminal: what its socket really sent and
// received, or a note about the connection.
type Entry struct {
	Term int    `json:"term"` // the app's terminal id; the session leaves it 0
	N    int    `json:"n"`    // 0-based index within the session
	Kind string `json:"kind"`
	// Text is the line itself; empty for notes until the app layer puts
	// the English text of Key there (the simulator has no words of its own).
	Text string `json:"text"`
	// Key and Params name the i18n catalog text of a note; the UI shows
	// that in its own language.
	Key        string            `json:"key,omitempty"`
	Params     map[string]string `json:"params,omitempty"`
	Credential bool              `json:"credential,omitempty"` // a sent line with a password or SASL response
	Masked     bool              `json:"masked,omitempty"`     // its text was hidden for a viewer
	Time       time.Time         `json:"time"`
}

// NoteKeys are the catalog keys of every note a session writes.
var NoteKeys = []string{"terminal.info.connected", "terminal.info.cut", "terminal.tls.up",
	"terminal.error.send", "terminal.error.read", "terminal.error.tls", "terminal.closed.server",
	"terminal.closed.user", "terminal.closed"}

// note builds an entry whose words come from the catalog, in the layer above.
func note(kind, key string, params map[string]string) Entry {
	return Entry{Kind: kind, Key: key, Params: params}
}
