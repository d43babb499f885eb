//go:build !(js && wasm)

package app

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"maillab/lessons/explain"
)

// HTTP serves the embedded frontend and the App over HTTP: JSON calls at
// POST /api/call/<method> and the pushed events as Server-Sent Events at
// GET /api/events. Anyone who can reach it may watch; only a holder of
// the token may control the run.
type HTTP struct {
	app   *App
	token string
	calls map[string]call
	mux   *http.ServeMux
	hosts hostSet
	// streams counts open event streams; at maxStreams more are refused:
	// a class of viewers is a few dozen, thousands are an attack on memory.
	streams    atomic.Int32
	maxStreams int32
}

// Listening tells the handler its address (and the --addr it was given),
// so only those names are served (Host check).
func (h *HTTP) Listening(l net.Addr, addr string) { h.hosts = hostsFor(l, addr) }

// NewHTTP returns the handler; static holds the built frontend.
func NewHTTP(a *App, static fs.FS, token string) *HTTP {
	h := &HTTP{app: a, token: token, mux: http.NewServeMux(), maxStreams: 256}
	h.calls = Methods(a)
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
		"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !h.guard(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
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
	args, err := readArgs(w, r, c.bodyLimit())
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
	if !h.authorised(r) {
		result = redactForViewer(result)
	}
	if page, ok := result.(EventPage); ok {
		// The log's pages without reflection: the same bytes as writeJSON.
		size := 64
		for i := range page.Events {
			size += lineSize(page.Events[i])
		}
		if body, ok := appendEventPage(append(make([]byte, 0, size), `{"result":`...), &page); ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write(append(body, "}\n"...))
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result})
}

// authorised: the token in the header, or for the event stream (an
// EventSource sends no headers of its own) in the query.
func (h *HTTP) authorised(r *http.Request) bool {
	got := r.Header.Get("X-Maillab-Token")
	if got == "" && r.URL.Path == "/api/events" {
		got = r.URL.Query().Get("token")
	}
	return h.token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(h.token)) == 1
}

// handleEvents streams the hub as Server-Sent Events.
func (h *HTTP) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	if h.streams.Add(1) > h.maxStreams {
		h.streams.Add(-1)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "503 too many viewers", http.StatusServiceUnavailable)
		return
	}
	defer h.streams.Add(-1)
	// The server's ReadTimeout would end the stream: it has no body to read,
	// but the connection's read deadline also cancels the request.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	viewer := !h.authorised(r)
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
	same := newLineCompactor()
	// One buffer for every event of the stream, written in one Write: a
	// flood is some fifty batches of up to 500 lines (about 70 KB each).
	var buf []byte
	send := func(b []byte) {
		w.Write(b)
		flusher.Flush()
	}
	send([]byte(": connected\n\n"))
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			send([]byte(": ping\n\n"))
		case m := <-ch:
			if viewer {
				m = redactMessage(m)
			}
			buf = append(buf[:0], "event: "...)
			buf = append(buf, m.Name...)
			buf = append(buf, "\ndata: "...)
			var ok bool
			if buf, ok = same.marshalPayload(buf, m.Data); !ok {
				continue
			}
			buf = append(buf, "\n\n"...)
			send(buf)
			if cap(buf) > maxKeptStreamBuffer {
				buf = nil // a rare huge event does not stay with the stream
			}
		}
	}
}

// maxKeptStreamBuffer: a stream keeps its buffer for the next event up to
// this size (a full batch of long lines fits).
const maxKeptStreamBuffer = 1 << 20

// connFields is what a line says about its connection besides its id.
type connFields struct {
	client, server, proto string
	port                  int
	addr, clientAddr      string
}

// streamLine is a line as the event stream sends it. Same says that the
// connection's client, server, protocol, port and addresses were left out:
// they are those of the last line of that connection the stream sent with
// them. SameExplain says the explanation was left out: it is the one of the
// connection's line before (a message body's lines share one). RawText says
// Raw was left out because it is Text and CRLF, as most lines are. A
// flood's lines are a connection's lines, one after the other: this takes
// about half off what the browser receives and parses.
type streamLine struct {
	Line
	Same        bool `json:"same,omitempty"`
	SameExplain bool `json:"sameExplain,omitempty"`
	RawText     bool `json:"rawText,omitempty"`
}

// maxStreamConns bounds what one stream remembers: past it, it starts
// again (and so does the page, which follows the same rule).
const maxStreamConns = 1024

// sentConn is what one stream last said about a connection.
type sentConn struct {
	fields  connFields
	explain *explain.Explanation // of its last line (nil: none)
}

// lineCompactor remembers, for one event stream, each connection's fields
// as last sent and its last line's explanation.
type lineCompactor struct {
	last map[uint64]*sentConn
}

func newLineCompactor() *lineCompactor {
	return &lineCompactor{last: make(map[uint64]*sentConn)}
}

// lineFlags says what the stream leaves out of one line (streamLine).
type lineFlags struct{ same, sameExplain, rawText bool }

// next returns what the stream leaves out of l, the next line it sends,
// and remembers l.
func (c *lineCompactor) next(l *Line) lineFlags {
	var f lineFlags
	f.rawText = len(l.Raw) == len(l.Text)+2 && string(l.Raw[:len(l.Text)]) == l.Text &&
		l.Raw[len(l.Text)] == '\r' && l.Raw[len(l.Text)+1] == '\n'
	if l.Conn == 0 {
		return f
	}
	sc := c.last[l.Conn]
	if sc == nil {
		if len(c.last) >= maxStreamConns {
			clear(c.last)
		}
		sc = &sentConn{}
		c.last[l.Conn] = sc
	} else if l.Explain != nil && sameExplanation(sc.explain, l.Explain) {
		f.sameExplain = true
	}
	sc.explain = l.Explain
	fields := connFields{l.Client, l.Server, l.Proto, l.Port, l.Addr, l.ClientAddr}
	if fields != (connFields{}) && sc.fields == fields {
		f.same = true
		return f
	}
	sc.fields = fields
	return f
}

// compact returns the lines as the stream sends them, in order: what
// appendStreamLines writes without making them (the tests' reference).
func (c *lineCompactor) compact(lines []Line) []streamLine {
	out := make([]streamLine, len(lines))
	for i := range lines {
		f := c.next(&lines[i])
		out[i] = streamLine{Line: lines[i], Same: f.same, SameExplain: f.sameExplain, RawText: f.rawText}
		if f.rawText {
			out[i].Raw = nil
		}
		if f.sameExplain {
			out[i].Explain = nil
		}
		if f.same {
			e := &out[i].Event
			e.Client, e.Server, e.Proto, e.Port, e.Addr, e.ClientAddr = "", "", "", 0, "", ""
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// readArgs decodes {"args": [...]}; an empty body means no arguments.
// A body over limit bytes is refused.
func readArgs(w http.ResponseWriter, r *http.Request, limit int64) ([]json.RawMessage, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil, err
	}
	var body struct {
		Args []json.RawMessage `json:"args"`
	}
	err = json.Unmarshal(raw, &body)
	return body.Args, err
}
