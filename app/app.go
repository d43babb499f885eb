// Package app is the thin layer the UI calls: the same methods are bound to
// the Wails window and served over HTTP for browser mode. It translates
// calls to the simulator and pushes the event log; no protocol logic lives
// here.
package app

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/pki"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// Options configure the app.
type Options struct {
	// World is the template for every run's world: Bind and PortBase give
	// the external listeners of the port map (empty Bind: scenario
	// addresses only, for tests).
	World world.Options
	Hub   *Hub
	// BatchEvery and BatchMax bound how often line events are pushed.
	BatchEvery time.Duration
	BatchMax   int
	// OnReady is called when the frontend reports it has rendered.
	OnReady func()
	// SaveDialog asks the user where to save an export (name is the
	// suggestion, kind its format); "" when cancelled. Only the desktop
	// window has one: nil in browser mode.
	SaveDialog func(name, kind, lang string) (string, error)
	// OpenDialog asks the user which file of kind ("world" or
	// "challenge") to open; "" when cancelled. Only the desktop window has
	// one: nil in browser mode.
	OpenDialog func(kind, lang string) (string, error)
	// OnLang is called with the language the window asked the catalog
	// of, so the desktop menu can follow the interface language.
	OnLang func(lang string)
	// RoomPoll is how often a joined student asks the room's host for its
	// challenge (0: classroom's default; tests make it short).
	RoomPoll time.Duration
}

// ScenarioInfo is one entry of the scenario picker.
type ScenarioInfo struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// RunInfo describes the run that just started.
type RunInfo struct {
	RunID      int            `json:"runId"`
	Scenario   string         `json:"scenario"`
	Nodes      []netmap.Node  `json:"nodes"`
	Ports      []netmap.Entry `json:"ports"`
	Mode       string         `json:"mode"`
	IntervalMs int            `json:"interval"`
	// World is the title of the world the run is in (its world file's
	// title line; "" when it has none).
	World string `json:"world,omitempty"`
}

// App is bound to the UI. Its methods are safe for concurrent use.
type App struct {
	opts Options

	mu       sync.Mutex
	run      *scenario.Run
	runID    int
	scenario string
	feeds    []func()
	notes    *annotator
	// access: where external clients find the CA file and the autoconfig
	// (clientsettings.go).
	access access
	terms  terminals      // "type it yourself" sessions of the current run (terminal.go)
	client clientActions  // the mail client's running actions (mailclient.go)
	chall  challengeState // the troubleshooting challenge, if any (challenge.go)
	room   roomState      // the classroom this app hosts, if any (room.go)
	// joined is the classroom this Maillab joined as a provider (nil:
	// none); joinedHost the join address typed (classroom.go).
	joined     *classroom.Student
	joinedHost string
	// roomChalMu starts the room's challenges one at a time (roomchallenge.go).
	roomChalMu sync.Mutex
}

// ErrNoRun is returned by controls before a scenario was started.
var ErrNoRun = errors.New("no scenario is running: pick one first")

// New returns an app with no run yet.
func New(opts Options) *App {
	if opts.Hub == nil {
		opts.Hub = NewHub()
	}
	if opts.BatchEvery <= 0 {
		opts.BatchEvery = 50 * time.Millisecond
	}
	if opts.BatchMax <= 0 {
		opts.BatchMax = 500
	}
	if opts.World.CA == nil {
		// One CA for all runs of this app: a reset must not invalidate the
		// CA file an external client was told to trust.
		ca, err := pki.NewCA()
		if err == nil {
			opts.World.CA = ca
		}
	}
	if opts.World.DKIMKeys == nil {
		// The same for the DKIM keys: made once, not at every reset.
		opts.World.DKIMKeys = world.NewDKIMKeys()
	}
	return &App{opts: opts}
}

// WriteCA stores the CA certificate of every run for external clients.
func (a *App) WriteCA(path string) error {
	if a.opts.World.CA == nil {
		return errors.New("no CA")
	}
	if err := a.opts.World.CA.WriteFile(path); err != nil {
		return err
	}
	a.access.setCAFile(path)
	return nil
}

// HubOf returns the hub an app publishes to (a function, not a method,
// so Wails does not bind it).
func HubOf(a *App) *Hub { return a.opts.Hub }

// Scenarios lists the scenarios with titles in lang.
func (a *App) Scenarios(lang string) ([]ScenarioInfo, error) {
	out := []ScenarioInfo{{ID: scenario.LiveID, Title: i18n.T(lang, "scenario.live.title", nil),
		Summary: i18n.T(lang, "scenario.live.summary", nil)}}
	for _, s := range scenario.All() {
		out = append(out, ScenarioInfo{ID: s.ID, Title: i18n.T(lang, s.Title, nil), Summary: i18n.T(lang, s.Summary, nil)})
	}
	return out, nil
}

// Catalog returns the interface strings of lang.
func (a *App) Catalog(lang string) (map[string]string, error) {
	if !i18n.Supported(lang) {
		return nil, fmt.Errorf("unknown language %q", lang)
	}
	if a.opts.OnLang != nil {
		a.opts.OnLang(lang)
	}
	return i18n.Catalog(lang), nil
}

// Start tears down the current run and starts scenario id in step mode.
func (a *App) Start(id string) (RunInfo, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stopLocked()
	if id != scenario.LiveID {
		a.leaveRoomLocked() // a room provider lives in the live world only
	}
	r, err := a.startRun(id)
	if err != nil {
		return RunInfo{}, err
	}
	a.run, a.scenario = r, id
	if err := a.attachRoomLocked(); err != nil {
		a.stopLocked()
		a.leaveRoomLocked()
		return RunInfo{}, err
	}
	a.runID++
	a.feedLocked()
	info := a.infoLocked()
	a.opts.Hub.Publish(EventRun, info)
	a.opts.Hub.Publish(EventSnapshot, r.World.Snapshot())
	return info, nil
}

// startRun starts a scripted scenario in step mode, or the live world in
// instant mode so external clients are never kept waiting.
func (a *App) startRun(id string) (*scenario.Run, error) {
	opts := a.opts.World
	if id == scenario.LiveID {
		opts.Mode = conductor.Instant
		return scenario.Live(opts)
	}
	opts.Mode = conductor.Step
	return scenario.Start(id, opts)
}

// Reset starts the same scenario again in a fresh world: a room this app
// hosts closes, and a room it joined is left first.
func (a *App) Reset() (RunInfo, error) {
	a.closeRoom()
	a.mu.Lock()
	id := a.scenario
	a.leaveRoomLocked()
	a.mu.Unlock()
	if id == "" {
		return RunInfo{}, ErrNoRun
	}
	return a.Start(id)
}

// Step releases one waiting line; false when none waits right now.
func (a *App) Step() (bool, error) {
	c, err := a.conductor()
	if err != nil {
		return false, err
	}
	return c.Step(), nil
}

// Play releases one line every intervalMs milliseconds.
func (a *App) Play(intervalMs int) error {
	c, err := a.conductor()
	if err != nil {
		return err
	}
	if intervalMs < 1 {
		intervalMs = 1
	}
	c.SetMode(conductor.Play, time.Duration(intervalMs)*time.Millisecond)
	return nil
}

// Pause returns to step mode.
func (a *App) Pause() error {
	c, err := a.conductor()
	if err != nil {
		return err
	}
	c.SetMode(conductor.Step, 0)
	return nil
}

// Events returns a page of the logged events after seq since, explained
// (for late joiners and reloads): at most limit events (DefaultEventsPage
// when limit <= 0, never more than MaxEventsPage) and about
// maxEventsPageBytes of them. Ask again after the page's last event while
// More says there are more. A long run keeps only its newest events:
// First says where the kept log starts.
func (a *App) Events(since uint64, limit int) (EventPage, error) {
	a.mu.Lock()
	run, notes := a.run, a.notes
	a.mu.Unlock()
	page := EventPage{Events: []Line{}}
	if run == nil {
		return page, nil
	}
	if limit <= 0 {
		limit = DefaultEventsPage
	}
	limit = min(limit, MaxEventsPage)
	c := run.World.Conductor
	evs, first, last := c.Page(since, limit)
	page.Events = make([]Line, 0, len(evs)) // not grown line by line: a page is up to 5,000
	page.First, page.Last, page.Dropped = first, last, c.Dropped().Events
	var wires wireShare
	size := 0
	for _, ev := range evs {
		if size > maxEventsPageBytes {
			break
		}
		l := wires.share(notes.line(ev))
		size += lineSize(l)
		page.Events = append(page.Events, l)
	}
	if n := len(page.Events); n > 0 {
		page.More = page.Events[n-1].Seq < last
	}
	return page, nil
}

// Line returns one logged event with its explanation, for the inspector.
func (a *App) Line(seq uint64) (Line, error) {
	a.mu.Lock()
	run, notes := a.run, a.notes
	a.mu.Unlock()
	if run == nil {
		return Line{}, ErrNoRun
	}
	ev, ok := run.World.Conductor.Event(seq)
	if !ok {
		return Line{}, fmt.Errorf("no step %d in this run", seq)
	}
	return notes.line(ev), nil
}

// Snapshot returns where every message is now.
func (a *App) Snapshot() (world.Snapshot, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run == nil {
		return world.Snapshot{Queue: []world.QueueItem{}, Mailboxes: []world.ProviderMailbox{}, Devices: []world.DeviceStore{}}, nil
	}
	return a.run.World.Snapshot(), nil
}

// Run returns the current run's description.
func (a *App) Run() (RunInfo, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run == nil {
		return RunInfo{}, ErrNoRun
	}
	return a.infoLocked(), nil
}

// Ready is called by the frontend once it has rendered.
func (a *App) Ready() error {
	if a.opts.OnReady != nil {
		a.opts.OnReady()
	}
	return nil
}

// Close ends the current run, closes the room this app hosts and leaves
// the room it joined, if any.
func (a *App) Close() error {
	a.closeRoom()
	a.mu.Lock()
	defer a.mu.Unlock()
	err := a.stopLocked()
	a.leaveRoomLocked()
	return err
}

func (a *App) conductor() (*conductor.Conductor, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run == nil {
		return nil, ErrNoRun
	}
	return a.run.World.Conductor, nil
}

func (a *App) infoLocked() RunInfo {
	mode, interval := a.run.World.Conductor.Mode()
	return RunInfo{RunID: a.runID, Scenario: a.scenario, Nodes: a.run.World.Nodes, Ports: a.run.World.Dir.Entries(),
		Mode: string(mode), IntervalMs: int(interval / time.Millisecond), World: a.run.World.Title()}
}

// feedLocked pushes the run's events in batches and its snapshot after
// every change.
func (a *App) feedLocked() {
	b := newBatcher(a.opts.Hub, a.opts.BatchEvery, a.opts.BatchMax)
	c := a.run.World.Conductor
	// The annotator runs under the conductor's lock: DroppedEvents takes none.
	notes := newAnnotator(func() uint64 { return c.DroppedEvents() + 1 })
	a.notes = notes
	stopLog := a.run.World.Conductor.Subscribe(func(ev event.Event) { b.add(notes.annotate(ev)) })
	w := a.run.World
	d := newDebouncer(a.opts.BatchEvery, func() { a.opts.Hub.Publish(EventSnapshot, w.Snapshot()) })
	stopChanges := w.OnChange(d.trigger)
	a.feeds = []func(){stopLog, stopChanges, d.stop, b.close}
}

func (a *App) stopLocked() error {
	a.terms.closeAll()
	for _, f := range a.feeds {
		f()
	}
	a.feeds = nil
	if a.run == nil {
		return nil
	}
	err := a.run.Close()
	a.client.stop() // the closed world has ended their traffic
	a.run = nil
	return err
}
