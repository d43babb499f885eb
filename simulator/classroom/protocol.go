// Package classroom runs a mail room across machines: the teacher's
// machine hosts the room (its DNS zone <room>.test, its CA and a join
// service), and each student's machine becomes one more mail provider,
// <name>.<room>.test, whose servers listen on the student's LAN address
// and deliver to each other with real SMTP, DNS, STARTTLS, SPF, DKIM and
// DMARC. Nothing here listens beyond loopback unless a caller asks for a
// room to be hosted or joined.
package classroom

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"

	"maillab/simulator/netmap"
)

// DefaultJoinPort is where a host's join service listens.
const DefaultJoinPort = 7625

// DefaultPortOffset moves every student's servers above 1024: ports below
// it need administrator rights. The room DNS publishes the real ports as
// SRV records; 0 keeps the well-known ports.
const DefaultPortOffset = 10000

// TLD is the top-level domain of every room: reserved for testing
// (RFC 2606 §2, RFC 6761 §6.2), so a room's names never clash with the
// internet's.
const TLD = "test"

// Selector is the DKIM selector every student's MSA signs with.
const Selector = "room"

// Ports is the room's port plan: where each student's services listen.
type Ports struct {
	Offset      int `json:"offset"`
	SMTP        int `json:"smtp"`
	Submission  int `json:"submission"`
	Submissions int `json:"submissions"`
	POP3        int `json:"pop3"`
	POP3S       int `json:"pop3s"`
	IMAP        int `json:"imap"`
	IMAPS       int `json:"imaps"`
}

// PortPlan is the plan for an offset.
func PortPlan(offset int) Ports {
	return Ports{Offset: offset, SMTP: netmap.SMTP.Port + offset, Submission: netmap.Submission.Port + offset,
		Submissions: netmap.Submissions.Port + offset, POP3: netmap.POP3.Port + offset, POP3S: netmap.POP3S.Port + offset,
		IMAP: netmap.IMAP.Port + offset, IMAPS: netmap.IMAPS.Port + offset}
}

// Of is the real port of a well-known service port.
func (p Ports) Of(svc netmap.Service) int { return svc.Port + p.Offset }

// JoinRequest is what a student sends to join.
type JoinRequest struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Address string `json:"address"` // the student's LAN address, where its servers listen
	CSR     string `json:"csr"`     // PEM certificate request for its servers' key
	DKIMKey string `json:"dkimKey"` // base64 DER SubjectPublicKeyInfo of its DKIM key
}

// JoinReply is what the host answers a student who joined.
type JoinReply struct {
	Zone        string `json:"zone"`        // room42.test
	Domain      string `json:"domain"`      // anna.room42.test
	Account     string `json:"account"`     // anna@anna.room42.test
	CA          string `json:"ca"`          // PEM: the room CA
	Certificate string `json:"certificate"` // PEM: the student's servers' certificate
	DNS         string `json:"dns"`         // ip:port of the room DNS server
	Ports       Ports  `json:"ports"`
	Selector    string `json:"selector"`
	Token       string `json:"token"` // proves the student in later requests (ready, events, leave)
	// HeartbeatMS is how often the student's Maillab says it is still
	// there (POST /alive), in milliseconds (0: DefaultHeartbeat).
	HeartbeatMS int64 `json:"heartbeatMs,omitempty"`
	// Challenge is the room's challenge when the student joins (none:
	// Round 0 or no ID and no File); later ones come from POST /challenge.
	Challenge Challenge `json:"challenge"`
}

// DefaultHeartbeat is how often a student's Maillab tells the host it is
// still there; MissedBeats heartbeats without a word from it make it
// "not answering" on the room map (Provider.Silent).
const (
	DefaultHeartbeat = 10 * time.Second
	MissedBeats      = 3
)

// Outcomes of a delivery event.
const (
	Delivered = "delivered"
	Deferred  = "deferred"
	Bounced   = "bounced"
)

// Event is one delivery attempt's result as the sending student reports
// it: providers, time and outcome, never content or addresses.
type Event struct {
	From    string    `json:"from"` // the sending provider's domain
	To      string    `json:"to"`   // the receiving domain
	Time    time.Time `json:"time"`
	Outcome string    `json:"outcome"`          // delivered, deferred, bounced
	Status  string    `json:"status,omitempty"` // enhanced status code, "2.0.0", "4.4.1"
}

// Provider is one student's provider on the room map.
type Provider struct {
	Name    string    `json:"name"`
	Domain  string    `json:"domain"`
	Address string    `json:"address"`
	Joined  time.Time `json:"joined"`
	// Silent: not answering. Its Maillab has said nothing for
	// MissedBeats heartbeats (killed, the laptop closed, the network
	// gone) without leaving; it is online again at its next word.
	Silent bool `json:"silent,omitempty"`
	Solved bool `json:"solved,omitempty"` // solved the room's challenge (Map only)
}

// Map is the room as the projector shows it.
type Map struct {
	Room      string     `json:"room"`
	Zone      string     `json:"zone"`
	Providers []Provider `json:"providers"`
	Events    []Event    `json:"events"`
	Challenge *Challenge `json:"challenge,omitempty"` // handed out, without its file
}

// ErrorReply is the body of every refusal of the join service; Reason is
// stable for programs, Message says it in English.
type ErrorReply struct {
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// CheckName checks a room or student name: one DNS label of lower-case
// letters, digits and hyphens (RFC 1035 §2.3.1), at most 32 characters,
// starting with a letter.
func CheckName(kind, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a %s name is needed", kind)
	case len(name) > 32:
		return fmt.Errorf("%s name %q is longer than 32 characters", kind, name)
	case name[0] < 'a' || name[0] > 'z':
		return fmt.Errorf("%s name %q must start with a letter a-z", kind, name)
	case name[len(name)-1] == '-':
		return fmt.Errorf("%s name %q must not end with a hyphen", kind, name)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%s name %q may only have the letters a-z, digits and hyphens", kind, name)
		}
	}
	return nil
}

// codeAlphabet has no letters or digits that sound or look alike when
// read aloud or off a projector (no 0/O, 1/I/L, 5/S, 2/Z, B/8, U/V).
const codeAlphabet = "ACDEFGHJKMNPQRTWXY34679"

// NewCode is a room code: six characters in two groups, "K7Q-M4P".
func NewCode() string {
	var b strings.Builder
	for i := range 6 {
		if i == 3 {
			b.WriteByte('-')
		}
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		b.WriteByte(codeAlphabet[n.Int64()])
	}
	return b.String()
}

// normalCode compares codes as people type them: any case, with or
// without the hyphen and spaces.
func normalCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

// newToken is a secret a student proves itself with.
func newToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// NewPassword is a password easy to read off a screen: three groups of
// four characters from the room code's alphabet, lower case.
func NewPassword() string {
	var parts []string
	for range 3 {
		var b strings.Builder
		for range 4 {
			n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
			b.WriteByte(codeAlphabet[n.Int64()])
		}
		parts = append(parts, strings.ToLower(b.String()))
	}
	return strings.Join(parts, "-")
}

// JoinURL is the join service's base URL for an address as a user types
// it: "10.0.0.5", "10.0.0.5:7625" or "http://10.0.0.5:7625".
func JoinURL(addr string) (string, error) {
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "http://"), "/")
	if addr == "" {
		return "", errors.New("classroom: no join address")
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, fmt.Sprint(DefaultJoinPort))
	}
	host, _, _ := net.SplitHostPort(addr)
	if net.ParseIP(host) == nil {
		return "", fmt.Errorf("classroom: join address %q: write the host's IP address, as it shows it", addr)
	}
	return "http://" + addr, nil
}
