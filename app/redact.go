package app

import (
	"maillab/simulator/event"
	"maillab/simulator/terminal"
)

// Viewers (anyone without the token) never receive a password: every
// credential line is redacted on the server with the rule the exports use
// (event.Redacted), before it is serialised, so the browser's own masking
// is no longer the only guard.

// redactMessage is a pushed message as a viewer may see it.
func redactMessage(m Message) Message {
	m.Data = redactForViewer(m.Data)
	return m
}

// redactForViewer returns v with credentials taken out: lines of the run
// and entries of a terminal, alone or in slices. Anything else passes.
func redactForViewer(v any) any {
	switch x := v.(type) {
	case []Line:
		out := make([]Line, len(x))
		for i, l := range x {
			out[i] = redactLine(l)
		}
		return out
	case Line:
		return redactLine(x)
	case EventPage:
		x.Events = redactForViewer(x.Events).([]Line)
		return x
	case []event.Event:
		out := make([]event.Event, len(x))
		for i, e := range x {
			out[i] = e.Redacted()
		}
		return out
	case WorldSettings:
		return x.withoutPasswords()
	case []terminal.Entry:
		out := make([]terminal.Entry, len(x))
		for i, e := range x {
			out[i] = redactEntry(e)
		}
		return out
	}
	return v
}

func redactLine(l Line) Line {
	l.Event = l.Event.Redacted()
	return l
}

// redactEntry hides a typed credential line whole: the terminal does not
// keep the protocol a line was typed in, so no command word is kept.
func redactEntry(e terminal.Entry) terminal.Entry {
	if e.Credential {
		e.Text = "********"
		e.Masked = true
	}
	return e
}
