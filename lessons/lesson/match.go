package lesson

import (
	"regexp"

	"maillab/simulator/event"
)

// Matches reports whether ev fits the pattern (ignoring Nth).
func (p Pattern) Matches(ev event.Event) bool {
	kind := p.Kind
	if kind == "" {
		kind = string(event.KindLine)
	}
	if string(ev.Kind) != kind {
		return false
	}
	if !fieldOK(p.Proto, ev.Proto) || !fieldOK(p.Dir, string(ev.Dir)) || !fieldOK(p.Client, ev.Client) ||
		!fieldOK(p.Server, ev.Server) || !fieldOK(p.Code, ev.Code) {
		return false
	}
	if p.Text == "" {
		return true
	}
	re, err := regexp.Compile(p.Text)
	return err == nil && re.MatchString(ev.Text)
}

func fieldOK(want, got string) bool { return want == "" || want == got }

// Find returns the Seq of the event the pattern picks in log (its Nth
// match), or 0 when there is none.
func (p Pattern) Find(log []event.Event) uint64 {
	n := p.Nth
	if n <= 0 {
		n = 1
	}
	for _, ev := range log {
		if p.Matches(ev) {
			n--
			if n == 0 {
				return ev.Seq
			}
		}
	}
	return 0
}
