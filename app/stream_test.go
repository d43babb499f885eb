//go:build !(js && wasm)

package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/explain"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// The event stream leaves out a line's connection fields when the last
// line of that connection it sent had the same ones, and says so. Filling
// them back in from the lines sent before (as the page does) gives the
// lines as they were.
func TestStreamLinesLeaveOutWhatTheConnectionSaidBefore(t *testing.T) {
	conn := func(c uint64, client, server, proto string, port int, addr string) event.Event {
		return event.Event{Conn: c, Client: client, Server: server, Proto: proto, Port: port, Addr: addr, ClientAddr: "127.0.0.1:5000"}
	}
	a := conn(1, "external", "mx.example.net", "smtp", 25, "127.0.0.1:2525")
	b := conn(2, "mx.example.net", "mda.example.net", "lmtp", 24, "127.0.0.1:2424")
	late := event.Event{Conn: 3, Client: "alice-laptop"} // its server and protocol come later
	body := &explain.Explanation{Key: "explain.msg.body.text", RFC: "RFC 5322 §2.3"}
	line := func(seq uint64, e event.Event, text string) Line {
		e.Seq, e.Kind, e.Text, e.Raw = seq, event.KindLine, text, []byte(text+"\r\n")
		return Line{Event: e, Explain: &explain.Explanation{Key: "explain.smtp.c." + text, RFC: "RFC 5321"}}
	}
	bodyLine := func(seq uint64, e event.Event, text string) Line {
		l := line(seq, e, text)
		l.Explain = &explain.Explanation{Key: body.Key, RFC: body.RFC} // equal, not the same pointer
		return l
	}
	odd := line(11, a, "caf\xe9")
	odd.Raw = []byte("caf\xe9\n") // bare LF: the bytes are not the text and CRLF
	batches := [][]Line{
		{line(1, a, "EHLO x"), line(2, a, "250 ok"), line(3, b, "LHLO x")},
		{line(4, a, "DATA"), line(5, b, "250 ok"), {Event: event.Event{Seq: 6, Kind: event.KindState, Code: "state.x"}}},
		{line(7, late, "?"), line(8, conn(3, "alice-laptop", "smtp.example.org", "submission", 587, "127.0.0.1:587"), "EHLO y"), line(9, a, "QUIT")},
		{line(10, conn(3, "alice-laptop", "smtp.example.org", "submission", 587, "127.0.0.1:587"), "QUIT")},
		{odd, bodyLine(12, a, "line 1"), bodyLine(13, a, "line 2"), bodyLine(14, b, "line 1"), bodyLine(15, a, "line 3")},
		{{Event: event.Event{Seq: 16, Kind: event.KindLine, Conn: 1, Text: "no explanation"}}, bodyLine(17, a, "line 4")},
	}
	c := newLineCompactor()
	known := map[uint64]map[string]any{}
	explained := map[uint64]any{}
	var sames, sameExplains, rawTexts int
	for _, batch := range batches {
		raw, err := json.Marshal(c.compact(batch))
		require.NoError(t, err)
		var sent []map[string]any
		require.NoError(t, json.Unmarshal(raw, &sent))
		require.Len(t, sent, len(batch))
		for i, got := range sent {
			want, err := json.Marshal(batch[i])
			require.NoError(t, err)
			var full map[string]any
			require.NoError(t, json.Unmarshal(want, &full))
			if got["rawText"] == true {
				rawTexts++
				delete(got, "rawText")
				got["raw"] = base64.StdEncoding.EncodeToString([]byte(got["text"].(string) + "\r\n"))
			}
			if id, ok := got["conn"].(float64); ok {
				if got["sameExplain"] == true {
					sameExplains++
					delete(got, "sameExplain")
					got["explain"] = explained[uint64(id)]
				}
				if x, ok := got["explain"]; ok {
					explained[uint64(id)] = x
				} else {
					delete(explained, uint64(id))
				}
				if got["same"] == true {
					sames++
					delete(got, "same")
					for k, v := range known[uint64(id)] {
						got[k] = v
					}
				} else {
					known[uint64(id)] = map[string]any{}
					for _, k := range []string{"client", "server", "proto", "port", "addr", "clientAddr"} {
						if v, ok := got[k]; ok {
							known[uint64(id)][k] = v
						}
					}
				}
			}
			assert.Equal(t, full, got, "line %d", batch[i].Seq)
		}
	}
	assert.Equal(t, 10, sames, "lines 2, 4, 5, 9, 10, 11, 12, 13, 14 and 15 leave their connection's fields out (16 has none, so 17 sends them again)")
	assert.Equal(t, 2, sameExplains, "lines 13 and 15 leave the body's explanation out (not 17: the line before it had none)")
	assert.Equal(t, 14, rawTexts, "the bytes of every line but 6 (a state), 11 (bare LF) and 16 (none) are its text and CRLF")
}

func TestStreamLinesForgetAfterManyConnections(t *testing.T) {
	c := newLineCompactor()
	l := func(conn uint64) Line {
		return Line{Event: event.Event{Kind: event.KindLine, Conn: conn, Client: "a", Server: "b", Proto: "smtp", Port: 25},
			Explain: &explain.Explanation{Key: "explain.msg.body.text"}}
	}
	for i := range uint64(maxStreamConns) {
		c.compact([]Line{l(i + 1)})
	}
	assert.True(t, c.compact([]Line{l(1)})[0].Same, "remembered")
	assert.False(t, c.compact([]Line{l(maxStreamConns + 1)})[0].Same, "a new connection past the bound: everything is forgotten")
	again := c.compact([]Line{l(1)})[0]
	assert.False(t, again.Same, "and sent in full again")
	assert.False(t, again.SameExplain, "the explanation too")
	assert.True(t, c.compact([]Line{l(1)})[0].Same)
}

// The stream writes its lines without encoding/json; what it writes must
// be, byte for byte, what encoding/json makes of the compacted lines (the
// page parses it, and the tests above check those). Every field of
// event.Event, Line and explain.Explanation is set in turn, with strings
// that need escaping, so a field added later and not written fails here.
func TestStreamJSONIsEncodingJSONs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "EHLO x", "line 1", `a "quoted" \ back`, "<b>&amp;</b>", "tab\there\r\n\b\f\x00\x1f\x7f",
		"caf\xe9 \xff\xfe", "zażółć gęślą jaźń ß", "\u2028 and \u2029", "emoji 📨", "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80"}
	str := func() string { return texts[rng.IntN(len(texts))] }
	bytesOf := func() []byte {
		switch rng.IntN(4) {
		case 0:
			return nil
		case 1:
			return []byte{}
		}
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	params := func() map[string]string {
		if rng.IntN(3) == 0 {
			return nil
		}
		m := map[string]string{}
		for range rng.IntN(12) {
			m[str()+strconv.Itoa(rng.IntN(3))] = str()
		}
		return m
	}
	explanation := func() *explain.Explanation {
		if rng.IntN(4) == 0 {
			return nil
		}
		x := &explain.Explanation{Key: str(), Params: params(), RFC: str(), Class: str(), Generic: rng.IntN(2) == 0}
		for range rng.IntN(3) {
			x.Details = append(x.Details, str())
		}
		return x
	}
	// randomEvent sets every exported field of event.Event by its kind.
	randomEvent := func() event.Event {
		var e event.Event
		v := reflect.ValueOf(&e).Elem()
		for i := range v.NumField() {
			f := v.Field(i)
			if rng.IntN(3) == 0 {
				continue // left zero: omitempty
			}
			switch {
			case f.Type() == reflect.TypeFor[time.Time]():
				f.Set(reflect.ValueOf(time.Date(2000+rng.IntN(30), 1, 1, 0, 0, 0, rng.IntN(1e9), time.UTC).
					Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))))
			case f.Type() == reflect.TypeFor[map[string]string]():
				f.Set(reflect.ValueOf(params()))
			case f.Type() == reflect.TypeFor[[]byte]():
				f.SetBytes(bytesOf())
			case f.Kind() == reflect.String:
				f.SetString(str())
			case f.Kind() == reflect.Bool:
				f.SetBool(true)
			case f.CanInt():
				f.SetInt(rng.Int64N(1<<40) - 1<<39)
			case f.CanUint():
				f.SetUint(rng.Uint64N(1 << 40))
			default:
				t.Fatalf("event.Event.%s (%s): the stream writes no such field yet", v.Type().Field(i).Name, f.Type())
			}
		}
		return e
	}
	ref, fast := newLineCompactor(), newLineCompactor()
	for range 300 {
		batch := make([]Line, 1+rng.IntN(20))
		for i := range batch {
			l := Line{Event: randomEvent(), Explain: explanation(), WireSeq: uint64(rng.IntN(3))}
			l.Conn = uint64(rng.IntN(4)) // connections repeat, so lines leave fields out
			if rng.IntN(2) == 0 {
				l.Raw = []byte(l.Text + "\r\n")
			}
			if rng.IntN(2) == 0 && i > 0 {
				// The same connection's fields and explanation as the line before.
				p := batch[i-1]
				l.Conn, l.Client, l.Server, l.Proto, l.Port, l.Addr, l.ClientAddr = p.Conn, p.Client, p.Server, p.Proto, p.Port, p.Addr, p.ClientAddr
				l.Explain = p.Explain
			}
			batch[i] = l
		}
		want, err := json.Marshal(ref.compact(batch))
		require.NoError(t, err)
		got, ok := fast.appendStreamLines(nil, batch)
		require.True(t, ok)
		require.Equal(t, string(want), string(got))
		requireSamePage(t, EventPage{Events: batch, First: rng.Uint64N(9), Dropped: rng.Uint64N(9), Last: rng.Uint64N(1 << 40),
			More: rng.IntN(2) == 0})
	}
	requireSamePage(t, EventPage{Events: []Line{}})
	requireSamePage(t, EventPage{})
	assert.Equal(t, []string{"key", "params,omitempty", "details,omitempty", "rfc", "class,omitempty", "generic,omitempty"},
		tagsOf(reflect.TypeFor[explain.Explanation]()), "explain.Explanation's fields are the ones written")
	assert.Equal(t, []string{"", "explain,omitempty", "wireSeq,omitempty"}, tagsOf(reflect.TypeFor[Line]()), "Line's fields are the ones written")

	// A time encoding/json refuses: no batch, as before.
	bad := []Line{{Event: event.Event{Seq: 1, Kind: event.KindLine, Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	_, err := json.Marshal(ref.compact(bad))
	require.Error(t, err)
	_, ok := fast.appendStreamLines(nil, bad)
	assert.False(t, ok)
	_, ok = appendEventPage(nil, &EventPage{Events: bad})
	assert.False(t, ok)
}

// requireSamePage: the events API writes a page as writeJSON would.
func requireSamePage(t *testing.T, p EventPage) {
	t.Helper()
	want := httptest.NewRecorder()
	writeJSON(want, http.StatusOK, map[string]any{"result": p})
	got, ok := appendEventPage([]byte(`{"result":`), &p)
	require.True(t, ok)
	require.Equal(t, want.Body.String(), string(got)+"}\n")
}

func tagsOf(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		out = append(out, t.Field(i).Tag.Get("json"))
	}
	return out
}

// The lines of real runs (every scenario, explained as the app explains
// them) come out of the stream as encoding/json writes them.
func TestStreamJSONOfRealRuns(t *testing.T) {
	for _, s := range scenario.All() {
		t.Run(s.ID, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r, err := scenario.RunInstant(ctx, s.ID, world.Options{})
			require.NoError(t, err)
			defer r.Close()
			notes := newAnnotator(nil)
			var lines []Line
			for _, ev := range r.World.Conductor.Log() {
				lines = append(lines, notes.annotate(ev))
			}
			require.NotEmpty(t, lines)
			ref, fast := newLineCompactor(), newLineCompactor()
			for len(lines) > 0 {
				n := min(len(lines), 500)
				want, err := json.Marshal(ref.compact(lines[:n]))
				require.NoError(t, err)
				got, ok := fast.appendStreamLines(nil, lines[:n])
				require.True(t, ok)
				require.Equal(t, string(want), string(got))
				requireSamePage(t, EventPage{Events: lines[:n], First: 1, Last: lines[n-1].Seq, More: n < len(lines)})
				lines = lines[n:]
			}
		})
	}
}

// Through the handler: the events call answers a controller and a viewer
// (credentials masked) with writeJSON's bytes.
func TestEventsCallWritesWhatWriteJSONWould(t *testing.T) {
	a, srv := newServer(t)
	_, err := a.Start("plaintext-password")
	require.NoError(t, err)
	for range 40 {
		require.Eventually(t, func() bool { ok, _ := a.Step(); return ok }, 5*time.Second, time.Millisecond)
	}
	bodies := map[string]string{}
	for _, token := range []string{"secret", ""} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/call/events", strings.NewReader(`{"args":[0]}`))
		req.Header.Set("X-Maillab-Token", token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))

		page, err := a.Events(0, 0)
		require.NoError(t, err)
		var result any = page
		if token == "" {
			result = redactForViewer(result)
		}
		want := httptest.NewRecorder()
		writeJSON(want, http.StatusOK, map[string]any{"result": result})
		require.Equal(t, want.Body.String(), string(got), "token %q", token)
		assert.Greater(t, len(page.Events), 30)
		bodies[token] = string(got)
	}
	assert.Contains(t, bodies[""], `"masked":true`, "the viewer's page hides a password")
	assert.NotContains(t, bodies["secret"], `"masked":true`)
}
