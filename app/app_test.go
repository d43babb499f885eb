//go:build !(js && wasm)

package app

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// recorder keeps what the hub published.
type recorder struct {
	mu   sync.Mutex
	msgs []Message
}

func (r *recorder) add(m Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
}

func (r *recorder) lines() []event.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []event.Event
	for _, m := range r.msgs {
		if m.Name == EventLines {
			for _, l := range m.Data.([]Line) {
				out = append(out, l.Event)
			}
		}
	}
	return out
}

func (r *recorder) explained() []Line {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Line
	for _, m := range r.msgs {
		if m.Name == EventLines {
			out = append(out, m.Data.([]Line)...)
		}
	}
	return out
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if m.Name == name {
			n++
		}
	}
	return n
}

func newTestApp(t *testing.T) (*App, *recorder) {
	t.Helper()
	rec := &recorder{}
	a := New(Options{BatchEvery: 5 * time.Millisecond})
	HubOf(a).Subscribe(rec.add)
	t.Cleanup(func() { a.Close() })
	return a, rec
}

func TestStartStepAndBatchedEvents(t *testing.T) {
	a, rec := newTestApp(t)
	info, err := a.Start("send-pop3")
	require.NoError(t, err)
	assert.Equal(t, "send-pop3", info.Scenario)
	assert.Equal(t, "step", info.Mode)
	assert.NotEmpty(t, info.Nodes)
	assert.NotEmpty(t, info.Ports)
	assert.Equal(t, 1, rec.count(EventRun))

	for i := 0; i < 3; i++ {
		require.Eventually(t, func() bool { ok, _ := a.Step(); return ok }, 5*time.Second, time.Millisecond)
	}
	require.Eventually(t, func() bool { return len(gated(rec.lines())) == 3 }, 5*time.Second, time.Millisecond)
	got := gated(rec.lines())
	assert.Equal(t, event.KindAction, got[0].Kind, "Alice clicks Send comes first")
	assert.Equal(t, "220 smtp.example.org ESMTP Service Ready", got[1].Text)
	assert.Equal(t, "EHLO [127.77.1.10]", got[2].Text)

	page, err := a.Events(0, 0)
	require.NoError(t, err)
	history := page.Events
	assert.False(t, page.More)
	assert.Equal(t, uint64(1), page.First)
	assert.Equal(t, len(rec.lines()), len(history), "history and pushes agree")
	for _, l := range rec.explained() {
		if l.Kind == event.KindLine {
			require.NotNil(t, l.Explain, "line %q is explained", l.Text)
			assert.False(t, l.Explain.Generic, "line %q has a specific explanation", l.Text)
		}
	}
	for _, l := range history {
		if l.Kind == event.KindLine && strings.HasPrefix(l.Text, "220 ") {
			require.NotNil(t, l.Explain, "history carries explanations")
			assert.Contains(t, l.Explain.Key, "greeting")
		}
	}
	later, _ := a.Events(history[len(history)-1].Seq, 0)
	assert.Empty(t, later.Events)
	for _, h := range history {
		one, err := a.Line(h.Seq)
		require.NoError(t, err, "Line(%d)", h.Seq)
		assert.Equal(t, h, one, "the inspector sees what the history holds")
	}
	_, err = a.Line(uint64(len(history) + 100))
	assert.Error(t, err, "a step that did not happen")
}

func gated(evs []event.Event) []event.Event {
	var out []event.Event
	for _, ev := range evs {
		if ev.Gated() {
			out = append(out, ev)
		}
	}
	return out
}

func TestPlayRunsToTheEndAndSnapshotShowsTheMail(t *testing.T) {
	a, rec := newTestApp(t)
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	require.NoError(t, a.Play(1))
	require.Eventually(t, func() bool {
		s, _ := a.Snapshot()
		return len(s.Devices) == 3 && len(s.Devices[1].Messages) == 1
	}, 20*time.Second, 5*time.Millisecond, "Bob's laptop downloads the mail")
	assert.Positive(t, rec.count(EventSnapshot))
	require.NoError(t, a.Pause())
}

func TestResetStartsAgainAndControlsNeedARun(t *testing.T) {
	a, rec := newTestApp(t)
	_, err := a.Step()
	assert.ErrorIs(t, err, ErrNoRun)
	_, err = a.Reset()
	assert.ErrorIs(t, err, ErrNoRun)
	first, err := a.Start("send-imap")
	require.NoError(t, err)
	second, err := a.Reset()
	require.NoError(t, err)
	assert.Equal(t, first.RunID+1, second.RunID)
	assert.Equal(t, 2, rec.count(EventRun))
	_, err = a.Start("nope")
	assert.Error(t, err)
}

func TestLiveRunIsInstant(t *testing.T) {
	a, _ := newTestApp(t)
	info, err := a.Start("live")
	require.NoError(t, err)
	assert.Equal(t, "instant", info.Mode)
	list, err := a.Scenarios("de")
	require.NoError(t, err)
	assert.Equal(t, "live", list[0].ID)
	assert.Contains(t, list[0].Title, "Live")
}

func newServer(t *testing.T) (*App, *httptest.Server) {
	t.Helper()
	a, _ := newTestApp(t)
	static := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Maillab</title>")}}
	srv := httptest.NewServer(NewHTTP(a, static, "secret"))
	t.Cleanup(srv.Close)
	return a, srv
}

func post(t *testing.T, srv *httptest.Server, method, token string, args ...any) (int, map[string]json.RawMessage) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"args": args})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/call/"+method, strings.NewReader(string(body)))
	if token != "" {
		req.Header.Set("X-Maillab-Token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out
}

func TestHTTPCallsAndToken(t *testing.T) {
	_, srv := newServer(t)
	cases := []struct {
		name, method, token string
		args                []any
		status              int
	}{
		{"viewers may list scenarios", "scenarios", "", []any{"en"}, 200},
		{"viewers may read the catalog", "catalog", "", []any{"pl"}, 200},
		{"an unknown language is an error", "catalog", "", []any{"fr"}, 422},
		{"viewers may not start", "start", "", []any{"send-pop3"}, 403},
		{"a wrong token may not start", "start", "guess", []any{"send-pop3"}, 403},
		{"the token holder starts", "start", "secret", []any{"send-pop3"}, 200},
		{"viewers may not step", "step", "", nil, 403},
		{"the token holder steps", "step", "secret", nil, 200},
		{"a missing argument", "play", "secret", nil, 422},
		{"an unknown method", "explode", "secret", nil, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, out := post(t, srv, tc.method, tc.token, tc.args...)
			assert.Equal(t, tc.status, status, "%s", out["error"])
			if status != 200 {
				assert.NotEmpty(t, out["error"])
			}
		})
	}
}

func TestHTTPSecurityHeadersAndStatic(t *testing.T) {
	_, srv := newServer(t)
	resp, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "script-src 'self'")
}

func TestServerSentEvents(t *testing.T) {
	_, srv := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/events", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	status, _ := post(t, srv, "start", "secret", "send-pop3")
	require.Equal(t, 200, status)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	seen := map[string]bool{}
	stepping := make(chan struct{})
	defer close(stepping)
	for sc.Scan() && !(seen[EventRun] && seen[EventLines]) {
		if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			if name == EventRun && !seen[EventRun] {
				// Step is false until the first line waits, which on a
				// loaded machine can be after the run event: keep asking.
				go stepUntil(t, srv, stepping)
			}
			seen[name] = true
		}
	}
	assert.True(t, seen[EventRun], "run event")
	assert.True(t, seen[EventLines], "line batch after a step")
}

func stepUntil(t *testing.T, srv *httptest.Server, stop <-chan struct{}) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			// Not post: require may not stop the test from this goroutine.
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/call/step", strings.NewReader(`{"args":[]}`))
			req.Header.Set("X-Maillab-Token", "secret")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				continue
			}
			var out struct{ Result bool }
			_ = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if out.Result {
				return
			}
		}
	}
}
