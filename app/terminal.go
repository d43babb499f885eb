package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
	"maillab/simulator/terminal"
	"maillab/simulator/world"
)

// TerminalTarget is a server the "type it yourself" terminal can reach.
type TerminalTarget struct {
	Host  string `json:"host"`  // "mx.example.net"
	Port  int    `json:"port"`  // the well-known port, 25
	Proto string `json:"proto"` // smtp | submission | pop3 | imap
	TLS   string `json:"tls"`   // starttls | implicit | none
	Addr  string `json:"addr"`  // where it really listens in this run; "" before a run
}

// TerminalInfo describes an opened terminal.
type TerminalInfo struct {
	ID         int            `json:"id"`
	Target     TerminalTarget `json:"target"`
	ClientAddr string         `json:"clientAddr"` // the terminal's own socket, as the tap logs it
}

// terminals are the open sessions of the current run; ids are unique for
// the app's lifetime so a late push cannot land in a newer terminal.
type terminals struct {
	next     int
	sessions map[int]*terminal.Session
}

// terminalPorts: Bob's MX first (the exercise starts there), then each
// provider's submission and mailbox ports.
var terminalPorts = []struct {
	prefix string
	port   int
}{{"mx.", 25}, {"smtp.", 587}, {"smtp.", 465}, {"mail.", 110}, {"mail.", 995}, {"mail.", 143}, {"mail.", 993}}

var terminalDomains = []string{"example.net", "example.org"}

// TerminalTargets lists the servers a terminal can open, with their
// addresses in the current run.
func (a *App) TerminalTargets() ([]TerminalTarget, error) {
	a.mu.Lock()
	var w *world.World
	if a.run != nil {
		w = a.run.World
	}
	a.mu.Unlock()
	out := []TerminalTarget{}
	domains := terminalDomains
	if w != nil && w.Provider(world.ThirdDomain) != nil {
		domains = append(slices.Clone(domains), world.ThirdDomain)
	}
	for _, d := range domains {
		for _, p := range terminalPorts {
			t, _ := terminalTarget(w, p.prefix+d, p.port)
			out = append(out, t)
		}
	}
	return out, nil
}

// terminalTarget describes host's port; w may be nil (no run yet).
func terminalTarget(w *world.World, host string, port int) (TerminalTarget, bool) {
	svc, ok := terminal.ServiceFor(port)
	if !ok {
		return TerminalTarget{}, false
	}
	t := TerminalTarget{Host: host, Port: port, Proto: svc.Proto, TLS: "none"}
	switch {
	case svc.Implicit:
		t.TLS = "implicit"
	case svc.StartTLS:
		t.TLS = "starttls"
	}
	if w == nil {
		return t, true
	}
	t.Addr, ok = w.Dir.Addr(host, port)
	return t, ok
}

// TerminalOpen connects a new terminal to host's well-known port as the
// external client; with no run it starts the live one first.
func (a *App) TerminalOpen(host string, port int) (TerminalInfo, error) {
	a.mu.Lock()
	if a.run == nil {
		a.mu.Unlock()
		if _, err := a.Start(scenario.LiveID); err != nil {
			return TerminalInfo{}, err
		}
		a.mu.Lock()
	}
	run := a.run
	if run == nil {
		a.mu.Unlock()
		return TerminalInfo{}, ErrNoRun
	}
	w := run.World
	target, ok := terminalTarget(w, host, port)
	if !ok {
		a.mu.Unlock()
		return TerminalInfo{}, fmt.Errorf("no such server: %s port %d", host, port)
	}
	a.terms.next++
	id := a.terms.next
	a.mu.Unlock()
	// Connecting (and an implicit-TLS handshake) may take a while: other
	// calls must not wait for it, so the run is checked again afterwards.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s, err := terminal.Open(ctx, w, host, port, a.pushTerminal(id))
	if err != nil {
		return TerminalInfo{}, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run != run {
		s.Close()
		return TerminalInfo{}, ErrNoRun
	}
	if a.terms.sessions == nil {
		a.terms.sessions = map[int]*terminal.Session{}
	}
	a.terms.sessions[id] = s
	target.Addr = s.RemoteAddr
	return TerminalInfo{ID: id, Target: target, ClientAddr: s.LocalAddr}, nil
}

// pushTerminal publishes each entry of terminal id as it happens.
func (a *App) pushTerminal(id int) func(terminal.Entry) {
	return func(e terminal.Entry) {
		a.opts.Hub.Publish(EventTerminal, []terminal.Entry{worded(e, id)})
	}
}

// worded gives a terminal entry its app id and, for a note, the English
// text of its key: the simulator emits keys, the words are this layer's.
func worded(e terminal.Entry, id int) terminal.Entry {
	e.Term = id
	if e.Key != "" && e.Text == "" {
		e.Text = i18n.T("en", e.Key, e.Params)
	}
	return e
}

// TerminalSend sends one typed line. It may wait while a STARTTLS
// upgrade is under way, so it runs without the app's lock.
func (a *App) TerminalSend(id int, line string) error {
	s, err := a.terminal(id)
	if err != nil {
		return err
	}
	if err := s.Send(line); errors.Is(err, terminal.ErrClosed) {
		return fmt.Errorf("terminal %d is closed", id)
	} else if err != nil {
		return err
	}
	return nil
}

// TerminalClose ends a terminal; closing it again is no error.
func (a *App) TerminalClose(id int) error {
	s, err := a.terminal(id)
	if err != nil {
		return err
	}
	return s.Close()
}

// TerminalLog returns a terminal's entries so far, for a reload.
func (a *App) TerminalLog(id int) ([]terminal.Entry, error) {
	s, err := a.terminal(id)
	if err != nil {
		return nil, err
	}
	log := s.Log()
	for i := range log {
		log[i] = worded(log[i], id)
	}
	return log, nil
}

func (a *App) terminal(id int) (*terminal.Session, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.terms.sessions[id]
	if !ok {
		return nil, fmt.Errorf("no terminal %d in this run", id)
	}
	return s, nil
}

// closeAll ends every terminal before its run's world goes away. Their
// last entries are still pushed: onEntry does not need the app's lock.
func (t *terminals) closeAll() {
	for _, s := range t.sessions {
		s.Close()
	}
	t.sessions = nil
}
