// Package event defines the single record type of a Maillab run. The ordered
// log of events is the source of truth for the UI, the CLI and golden tests.
package event

import (
	"strings"
	"time"
)

// Kind says what an event records.
type Kind string

const (
	KindOpen   Kind = "open"   // a TCP connection was accepted
	KindClose  Kind = "close"  // a TCP connection ended
	KindLine   Kind = "line"   // one protocol line (plaintext, or decrypted from TLS)
	KindTLS    Kind = "tls"    // a TLS record that carries no line (handshake, alert, ticket)
	KindPacket Kind = "packet" // one datagram (DNS over UDP)
	KindAction Kind = "action" // a user action of a scenario ("Alice clicks Send")
	KindState  Kind = "state"  // a queue or mailbox change
	// KindSkip stands for the lines of a message body the tap did not
	// record (past the recording limit): Omitted bytes in OmittedLines
	// lines, between the event before it and the one after it.
	KindSkip Kind = "skip"
)

// Dir is the direction of a line on its connection.
type Dir string

const (
	ClientToServer Dir = "C"
	ServerToClient Dir = "S"
)

// Event is one entry of the run's log. Fields that do not apply to a kind
// stay zero.
type Event struct {
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	Kind Kind      `json:"kind"`

	Conn       uint64 `json:"conn,omitempty"`
	Client     string `json:"client,omitempty"`     // node id of the client side
	Server     string `json:"server,omitempty"`     // node id of the server side
	Proto      string `json:"proto,omitempty"`      // smtp, submission, lmtp, pop3, imap, dns
	Port       int    `json:"port,omitempty"`       // well-known port of the service
	Addr       string `json:"addr,omitempty"`       // actual server address
	ClientAddr string `json:"clientAddr,omitempty"` // actual client address
	Dir        Dir    `json:"dir,omitempty"`

	Text string `json:"text,omitempty"` // the line without CRLF, as the endpoint saw it
	Raw  []byte `json:"raw,omitempty"`  // the plaintext bytes of the line, CRLF included
	// Wire holds the bytes as they crossed the socket when they differ from
	// Raw: the TLS record(s) that carried an encrypted line.
	Wire       []byte `json:"wire,omitempty"`
	Encrypted  bool   `json:"encrypted,omitempty"`
	Credential bool   `json:"credential,omitempty"` // carries a password or SASL response
	// Masked says the credential's payload was taken out before the event
	// left the server (a viewer's copy): nothing is left to reveal.
	Masked    bool `json:"masked,omitempty"`
	Truncated bool `json:"truncated,omitempty"` // an over-long line cut for display
	// Tail is the end of a cut line (Truncated): Text and Raw hold its
	// start, Omitted the number of bytes between them that were not kept.
	Tail string `json:"tail,omitempty"`
	// Omitted counts the bytes not recorded: the middle of a cut line, or
	// the skipped lines of a KindSkip event.
	Omitted int64 `json:"omitted,omitempty"`
	// OmittedLines counts the lines a KindSkip event stands for.
	OmittedLines int64 `json:"omittedLines,omitempty"`
	// Limit is the recording limit in bytes that made a body skipped.
	Limit int64 `json:"limit,omitempty"`

	// Action and state events.
	Actor  string            `json:"actor,omitempty"`
	Code   string            `json:"code,omitempty"` // i18n key of an action or state
	Params map[string]string `json:"params,omitempty"`
}

// Gated reports whether the conductor holds this kind of event for a step.
func (e *Event) Gated() bool {
	return e.Kind == KindLine || e.Kind == KindPacket || e.Kind == KindAction || e.Kind == KindSkip
}

// Redacted returns a copy safe for logs: credential lines lose their payload.
func (e Event) Redacted() Event {
	if !e.Credential {
		return e
	}
	e.Text = redactText(e.Proto, e.Text)
	e.Raw, e.Wire, e.Tail = nil, nil, ""
	e.Masked = true
	return e
}

// redactText keeps the command words of a credential line (the IMAP tag,
// PASS, APOP and its user, LOGIN and its user, AUTH and its mechanism)
// and hides everything after them: a password may contain spaces (POP3
// PASS takes the rest of the line, IMAP quotes or sends a literal). A
// line of its own (a SASL response, a literal) is hidden whole.
func redactText(proto, s string) string {
	words := 0
	if proto == "imap" {
		words = 1 // the tag
	}
	f := strings.Split(s, " ")
	if words >= len(f) {
		return "********"
	}
	switch strings.ToUpper(f[words]) {
	case "PASS":
		words++
	case "APOP", "AUTH", "LOGIN", "AUTHENTICATE":
		words += 2
	default:
		return "********"
	}
	words = min(words, len(f)-1) // something is hidden, whatever the line holds
	if words == 0 {
		return "********"
	}
	return strings.Join(f[:words], " ") + " ********"
}
