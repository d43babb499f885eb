package app

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"
)

// call is one HTTP-callable method: decode args, run, return a result.
type call struct {
	control bool // needs the control token
	// controlIf, when set, decides from the arguments whether this call
	// needs the token (an export with passwords does, one without not).
	controlIf func(args []json.RawMessage) bool
	run       func(args []json.RawMessage) (any, error)
}

// HTTP serves the embedded frontend and the App over HTTP: JSON calls at
// POST /api/call/<method> and the pushed events as Server-Sent Events at
// GET /api/events. Anyone who can reach it may watch; only a holder of
// the token may control the run.
type HTTP struct {
	app   *App
	token string
	calls map[string]call
	mux   *http.ServeMux
}

// NewHTTP returns the handler; static holds the built frontend.
func NewHTTP(a *App, static fs.FS, token string) *HTTP {
	h := &HTTP{app: a, token: token, mux: http.NewServeMux()}
	h.calls = h.table()
	h.mux.HandleFunc("POST /api/call/{method}", h.handleCall)
	h.mux.HandleFunc("GET /api/events", h.handleEvents)
	h.mux.HandleFunc("GET /api/export/{kind}", h.handleExport)
	h.routeClientConfig()
	h.mux.Handle("GET /", http.FileServerFS(static))
	return h
}

func (h *HTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Defence in depth: wire text is rendered as text, and no script may
	// come from anywhere but the app itself.
	w.Header().Set("Content-Security-Policy",
		"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	h.mux.ServeHTTP(w, r)
}

func (h *HTTP) table() map[string]call {
	a := h.app
	return map[string]call{
		"scenarios": {run: withString(func(s string) (any, error) { return a.Scenarios(s) })},
		"catalog":   {run: withString(func(s string) (any, error) { return a.Catalog(s) })},
		"events":    {run: withUint(func(n uint64) (any, error) { return a.Events(n) })},
		"snapshot":  {run: noArgs(func() (any, error) { return a.Snapshot() })},
		"line":      {run: withUint(func(n uint64) (any, error) { return a.Line(n) })},
		"run":       {run: noArgs(func() (any, error) { return a.Run() })},
		"ready":     {run: noArgs(func() (any, error) { return nil, a.Ready() })},
		"waiting":   {run: noArgs(func() (any, error) { return a.Waiting() })},
		"lessons":   {run: withString(func(s string) (any, error) { return a.Lessons(s) })},
		"lesson":    {run: withTwoStrings(func(id, lang string) (any, error) { return a.Lesson(id, lang) })},
		"start":     {control: true, run: withString(func(s string) (any, error) { return a.Start(s) })},
		"reset":     {control: true, run: noArgs(func() (any, error) { return a.Reset() })},
		"step":      {control: true, run: noArgs(func() (any, error) { return a.Step() })},
		"pause":     {control: true, run: noArgs(func() (any, error) { return nil, a.Pause() })},
		"play":      {control: true, run: withInt(func(n int) (any, error) { return nil, a.Play(n) })},

		// the "Connect your own mail client" page
		"clientSettings": {run: withString(func(s string) (any, error) { return a.ClientSettings(s) })},

		// the "Type it yourself" terminal
		"terminalTargets": {run: noArgs(func() (any, error) { return a.TerminalTargets() })},
		"terminalLog":     {run: withInt(func(id int) (any, error) { return a.TerminalLog(id) })},
		"terminalOpen": {control: true, run: withStringInt(func(host string, port int) (any, error) {
			return a.TerminalOpen(host, port)
		})},
		"terminalSend": {control: true, run: withIntString(func(id int, line string) (any, error) {
			return nil, a.TerminalSend(id, line)
		})},
		"terminalClose": {control: true, run: withInt(func(id int) (any, error) { return nil, a.TerminalClose(id) })},

		// lesson 13's "send Bob a mail by hand": only looks, so viewers may ask too
		"checkExercise": {run: withString(func(id string) (any, error) { return a.CheckExercise(id) })},

		// exports of the current run; passwords and TLS keys need the token
		"export": {controlIf: exportWantsSecrets, run: withExportArgs(a.Export)},
	}
}

func (h *HTTP) handleCall(w http.ResponseWriter, r *http.Request) {
	c, ok := h.calls[r.PathValue("method")]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown method " + r.PathValue("method")})
		return
	}
	if c.control && !h.authorised(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "viewer only: open the address with the token printed at start to control the run"})
		return
	}
	args, err := readArgs(w, r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad request body: " + err.Error()})
		return
	}
	if c.controlIf != nil && c.controlIf(args) && !h.authorised(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "viewer only: open the address with the token printed at start to control the run"})
		return
	}
	result, err := c.run(args)
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

func (h *HTTP) authorised(r *http.Request) bool {
	got := r.Header.Get("X-Maillab-Token")
	return h.token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(h.token)) == 1
}

// handleEvents streams the hub as Server-Sent Events.
func (h *HTTP) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan Message, 1024)
	cancel := HubOf(h.app).Subscribe(func(m Message) {
		select {
		case ch <- m:
		default: // a stalled viewer misses a batch; it can reload history
		}
	})
	defer cancel()
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case m := <-ch:
			data, err := json.Marshal(m.Data)
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", m.Name, data)
		}
		flusher.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// readArgs decodes {"args": [...]}; an empty body means no arguments.
func readArgs(w http.ResponseWriter, r *http.Request) ([]json.RawMessage, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil, err
	}
	var body struct {
		Args []json.RawMessage `json:"args"`
	}
	err = json.Unmarshal(raw, &body)
	return body.Args, err
}

func noArgs(f func() (any, error)) func([]json.RawMessage) (any, error) {
	return func([]json.RawMessage) (any, error) { return f() }
}

func withString(f func(string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		if err := arg(args, 0, &s); err != nil {
			return nil, err
		}
		return f(s)
	}
}

func withTwoStrings(f func(string, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var x, y string
		if err := arg(args, 0, &x); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &y); err != nil {
			return nil, err
		}
		return f(x, y)
	}
}

func withInt(f func(int) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n int
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		return f(n)
	}
}

func withStringInt(f func(string, int) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		var n int
		if err := arg(args, 0, &s); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &n); err != nil {
			return nil, err
		}
		return f(s, n)
	}
}

func withIntString(f func(int, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n int
		var s string
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &s); err != nil {
			return nil, err
		}
		return f(n, s)
	}
}

func withUint(f func(uint64) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n uint64
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		return f(n)
	}
}

func arg(args []json.RawMessage, i int, v any) error {
	if i >= len(args) {
		return fmt.Errorf("missing argument %d", i+1)
	}
	if err := json.Unmarshal(args[i], v); err != nil {
		return fmt.Errorf("argument %d: %w", i+1, err)
	}
	return nil
}
