//go:build !(js && wasm)

package app

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/explain"
	"maillab/simulator/event"
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
