package explain

import (
	"strings"
	"testing"

	"maillab/simulator/event"
)

// script turns "C: line" / "S: line" / "TC: TLS ..." rows into events of
// one connection.
func script(proto string, rows ...string) []event.Event {
	var out []event.Event
	for i, row := range rows {
		dir, text, _ := strings.Cut(row, ": ")
		// "[TLS] " marks a line that crossed the wire inside TLS, as the
		// transcript shows it.
		text, encrypted := strings.CutPrefix(text, "[TLS] ")
		ev := event.Event{Seq: uint64(i + 1), Conn: 1, Proto: proto, Kind: event.KindLine, Text: text, Encrypted: encrypted}
		switch dir {
		case "C":
			ev.Dir = event.ClientToServer
		case "S":
			ev.Dir = event.ServerToClient
		case "TC", "TS":
			ev.Kind = event.KindTLS
			ev.Dir = event.Dir(dir[1:])
		case "P":
			ev.Kind = event.KindPacket
		}
		out = append(out, ev)
	}
	return out
}

// explainAll feeds rows to one tracker and returns the explanations.
func explainAll(proto string, rows ...string) []Explanation {
	tr := NewTracker()
	var out []Explanation
	for _, ev := range script(proto, rows...) {
		out = append(out, tr.Explain(ev))
	}
	return out
}

// short strips the catalog prefix for readable expectations.
func short(key string) string { return strings.TrimPrefix(key, prefix) }

func shorts(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = short(k)
	}
	return out
}

// lastKey explains rows and returns the short key of the last one.
func lastKey(t *testing.T, proto string, rows ...string) Explanation {
	t.Helper()
	xs := explainAll(proto, rows...)
	return xs[len(xs)-1]
}
