package lesson

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Exercise is a task the learner does by hand against the live world
// ("send Bob a mail by hand"), checked by looking in a mailbox.
type Exercise struct {
	ID string `json:"id"`
	// Mailbox is the account whose mailbox the check looks in.
	Mailbox string `json:"mailbox"`
	// Task says what to do, in the lesson's language.
	Task string `json:"task"`
	// Solution is the model session: the tests type it into a live world
	// to prove that the lesson's notes and claims match the real replies.
	Solution []Conversation `json:"-"`
}

// Conversation is one connection of the model session, opened from the
// external client's node to a server's well-known port.
type Conversation struct {
	Server string `yaml:"server"`
	Port   int    `yaml:"port"`
	Talk   []Turn `yaml:"talk"`
}

// Turn sends one line (none for the greeting) and then, with Expect, reads
// until a line matches it. Send is a pointer because the empty line
// between header and body is a line too.
type Turn struct {
	Send   *string `yaml:"send"`
	Expect string  `yaml:"expect"` // RE2
	// StartTLS: Expect is the server's go-ahead to STARTTLS (POP3: STLS),
	// after which the session does the TLS handshake and goes on inside
	// it, as the app's terminal does (RFC 3207 §4, RFC 2595 §4).
	StartTLS bool `yaml:"starttls"`
}

type exerciseSpec struct {
	ID       string         `yaml:"id"`
	Mailbox  string         `yaml:"mailbox"`
	Solution []Conversation `yaml:"solution"`
}

// validate: an exercise names its mailbox and has a model session whose
// every expectation compiles.
func (e exerciseSpec) validate() error {
	if e.ID == "" {
		return errors.New("exercise needs an id")
	}
	if at := strings.IndexByte(e.Mailbox, '@'); at <= 0 || at == len(e.Mailbox)-1 {
		return fmt.Errorf("exercise mailbox %q is not an address", e.Mailbox)
	}
	if len(e.Solution) == 0 {
		return errors.New("exercise needs a solution: the session the tests type into the live world")
	}
	for i, c := range e.Solution {
		if err := c.validate(); err != nil {
			return fmt.Errorf("exercise solution %d: %w", i+1, err)
		}
	}
	return nil
}

func (c Conversation) validate() error {
	if c.Server == "" || c.Port <= 0 || len(c.Talk) == 0 {
		return errors.New("needs server, port and talk")
	}
	for i, t := range c.Talk {
		if t.Send == nil && t.Expect == "" {
			return fmt.Errorf("turn %d neither sends nor expects", i+1)
		}
		if t.StartTLS && (t.Send == nil || t.Expect == "") {
			return fmt.Errorf("turn %d starts TLS without sending STARTTLS and waiting for the go-ahead", i+1)
		}
		if t.Send != nil && strings.ContainsAny(*t.Send, "\r\n") {
			return fmt.Errorf("turn %d sends more than one line", i+1)
		}
		if _, err := regexp.Compile(t.Expect); err != nil {
			return fmt.Errorf("turn %d: %w", i+1, err)
		}
	}
	return nil
}

func (e *exerciseSpec) build(task string) *Exercise {
	if e == nil {
		return nil
	}
	return &Exercise{ID: e.ID, Mailbox: e.Mailbox, Task: task, Solution: e.Solution}
}
