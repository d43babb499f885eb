package lesson

import (
	"strings"

	"maillab/simulator/store"
	"maillab/simulator/world"
)

// Found is what the check of an exercise finds in its mailbox.
type Found struct {
	Count  int
	Newest store.MessageSummary // zero while Count is 0
}

// Look counts the messages in the exercise's mailbox, in every folder, and
// picks the one that arrived last.
func (e Exercise) Look(s world.Snapshot) Found {
	var f Found
	for _, p := range s.Mailboxes {
		for _, u := range p.Users {
			if !strings.EqualFold(u.Address, e.Mailbox) {
				continue
			}
			for _, mb := range u.Mailboxes {
				for _, m := range mb.Messages {
					f.Count++
					if !m.InternalDate.Before(f.Newest.InternalDate) {
						f.Newest = m
					}
				}
			}
		}
	}
	return f
}
