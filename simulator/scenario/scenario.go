// Package scenario holds the scripted lessons: each scenario is a short list
// of user actions ("Alice clicks Send") that drive the real agents; the
// traffic is whatever they exchange.
package scenario

import (
	"context"
	"sort"

	"maillab/simulator/event"
	"maillab/simulator/world"
)

// Scenario is one scripted run.
type Scenario struct {
	ID string
	// Title and Summary are i18n keys.
	Title, Summary string
	Script         func(ctx context.Context, s *Script) error
	// World, when set, adjusts the world this scenario runs in (a small
	// SIZE limit, a compressed clock); Start applies it to the caller's
	// options.
	World func(o *world.Options)
}

var registry = map[string]Scenario{}

func register(s Scenario) { registry[s.ID] = s }

// Get returns the scenario with id.
func Get(id string) (Scenario, bool) {
	s, ok := registry[id]
	return s, ok
}

// All lists the scenarios in a stable order.
func All() []Scenario {
	order := map[string]int{"send-pop3": 0, "send-imap": 1, "pop3-two-devices": 2, "pop3-vs-imap": 3, "tls": 4,
		"bounce": 5, "retry": 6, "retry-giveup": 7, "relay-denied": 8, "bcc": 9, "size-limit": 10,
		"plaintext-password": 11, "spoofing": 12, "imap-resync": 13,
		"three-providers": 14}
	out := make([]Scenario, 0, len(registry))
	for _, s := range registry {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		oi, iok := order[out[i].ID]
		oj, jok := order[out[j].ID]
		if iok && jok {
			return oi < oj
		}
		if iok != jok {
			return iok
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Script is what a scenario's steps act on.
type Script struct {
	W *world.World
}

// Act logs a user action as a step of its own, so the viewer sees "Alice
// clicks Send" before the traffic it causes.
func (s *Script) Act(ctx context.Context, actor, code string, params map[string]string) error {
	ev := &event.Event{Kind: event.KindAction, Actor: actor, Code: code, Params: params}
	return s.W.Conductor.Gate(ctx, ev)
}
