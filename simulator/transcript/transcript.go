// Package transcript prints an event log the way a textbook shows a
// protocol exchange: "C:" and "S:" lines grouped under a header per
// connection, with node names and ports.
package transcript

import (
	"fmt"
	"io"
	"strings"

	"maillab/simulator/event"
)

// Options control what is printed.
type Options struct {
	ShowSecrets bool // print credential lines as they were sent
	ShowTLS     bool // print TLS handshake records
	// Explain, when set, returns a one-line explanation for a line.
	Explain func(ev event.Event) string
	// Describe, when set, renders action and state events.
	Describe func(ev event.Event) string
	// Header, when set, renders the line that opens a connection's block
	// (an export in the reader's language); nil prints the default.
	Header func(ev event.Event) string
}

// Write prints the log in order, opening a header whenever the connection
// changes.
func Write(w io.Writer, log []event.Event, opts Options) error {
	p := printer{w: w, opts: opts, conns: map[uint64]event.Event{}}
	for _, ev := range log {
		p.event(ev)
	}
	return p.err
}

type printer struct {
	w       io.Writer
	opts    Options
	current uint64
	conns   map[uint64]event.Event
	err     error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) event(ev event.Event) {
	switch ev.Kind {
	case event.KindOpen:
		p.conns[ev.Conn] = ev
	case event.KindAction, event.KindState:
		p.note(ev)
	case event.KindLine, event.KindPacket:
		p.header(ev)
		p.line(ev)
	case event.KindSkip:
		p.header(ev)
		p.printf("%s: [... %d lines, %d bytes not recorded ...]\n", ev.Dir, ev.OmittedLines, ev.Omitted)
		p.explain(ev)
	case event.KindTLS:
		if p.opts.ShowTLS {
			p.header(ev)
			p.printf("   [%s %s]\n", ev.Dir, ev.Text)
			p.explain(ev)
		}
	}
}

func (p *printer) note(ev event.Event) {
	if ev.Kind == event.KindState && p.opts.Describe == nil {
		return
	}
	text := ev.Code
	if p.opts.Describe != nil {
		text = p.opts.Describe(ev)
	}
	if text == "" {
		return
	}
	p.current = 0
	if ev.Kind == event.KindAction {
		p.printf("\n* %s\n", text)
		return
	}
	p.printf("  (%s)\n", text)
}

func (p *printer) header(ev event.Event) {
	if ev.Conn == p.current {
		return
	}
	p.current = ev.Conn
	if p.opts.Header != nil {
		p.printf("%s\n", p.opts.Header(ev))
		return
	}
	client := ev.Client
	if client == "" {
		client = "external client"
	}
	p.printf("--- #%d %s -> %s  %s, port %d (here %s)\n", ev.Conn, client, ev.Server,
		strings.ToUpper(ev.Proto), ev.Port, ev.Addr)
}

func (p *printer) line(ev event.Event) {
	text, tail := ev.Text, ev.Tail
	if ev.Credential && !p.opts.ShowSecrets {
		text, tail = ev.Redacted().Text, ""
	}
	lock := ""
	if ev.Encrypted {
		lock = "[TLS] "
	}
	mark := ""
	if ev.Truncated {
		mark = " [...]"
		if ev.Omitted > 0 {
			mark = fmt.Sprintf(" [... %d bytes ...] %s", ev.Omitted, tail)
		}
	}
	p.printf("%s: %s%s%s\n", ev.Dir, lock, text, mark)
	p.explain(ev)
}

func (p *printer) explain(ev event.Event) {
	if p.opts.Explain != nil {
		if x := p.opts.Explain(ev); x != "" {
			p.printf("     # %s\n", x)
		}
	}
}

// ByConnection reorders a stretch of the log so each connection's events
// stay together, connections in order of their id; actions and notes keep
// their place at the front or back of the stretch.
func ByConnection(log []event.Event) []event.Event {
	var head, tail []event.Event
	byConn := map[uint64][]event.Event{}
	var ids []uint64
	for _, ev := range log {
		switch {
		case ev.Kind == event.KindAction:
			head = append(head, ev)
		case ev.Conn == 0:
			tail = append(tail, ev)
		default:
			if _, ok := byConn[ev.Conn]; !ok {
				ids = append(ids, ev.Conn)
			}
			byConn[ev.Conn] = append(byConn[ev.Conn], ev)
		}
	}
	sortIDs(ids)
	out := head
	for _, id := range ids {
		out = append(out, byConn[id]...)
	}
	return append(out, tail...)
}

func sortIDs(ids []uint64) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
