package export

import (
	"strconv"
	"strings"

	"maillab/lessons/explain"
	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

// Explainer explains each line in lang with its RFC, one tracker per
// connection because a line's meaning depends on what came before on it.
// Feed it the events in log order.
func Explainer(lang string) func(event.Event) string {
	trackers := map[uint64]*explain.Tracker{}
	return func(ev event.Event) string {
		t, ok := trackers[ev.Conn]
		if !ok {
			t = explain.NewTracker()
			trackers[ev.Conn] = t
		}
		x := t.Explain(ev)
		text := explain.Text(lang, x)
		if text == "" || x.RFC == "" {
			return text
		}
		return text + " (" + x.RFC + ")"
	}
}

// Describer renders actions and state notes in lang ("" for a code the
// catalog does not know).
func Describer(lang string) func(event.Event) string {
	return func(ev event.Event) string {
		if ev.Code == "" || !i18n.Has(ev.Code) {
			return ""
		}
		actor := ev.Actor
		if i18n.Has("node." + actor) {
			actor = i18n.T(lang, "node."+actor, nil)
		}
		params := map[string]string{"actor": actor}
		for k, v := range ev.Params {
			params[k] = v
		}
		return i18n.T(lang, ev.Code, params)
	}
}

// NodeName is how a node is called in lang: "Alice's laptop", "DNS
// server", or the host name.
func NodeName(lang, id string) string {
	if id == "" {
		id = "external"
	}
	if i18n.Has("node." + id) {
		return i18n.T(lang, "node."+id, nil)
	}
	return id
}

// escaper makes a value safe for the document it goes into.
type escaper func(string) string

func plain(s string) string { return s }

// connection is the heading of a connection's block: who talks to whom,
// the protocol and its well-known port, and the address it really used.
func connection(lang string, ev event.Event, esc escaper) string {
	return i18n.T(lang, "export.connection", map[string]string{
		"conn":   strconv.FormatUint(ev.Conn, 10),
		"client": esc(NodeName(lang, ev.Client)),
		"server": esc(NodeName(lang, ev.Server)),
		"proto":  esc(strings.ToUpper(ev.Proto)),
		"port":   strconv.Itoa(ev.Port),
		"addr":   esc(ev.Addr),
	})
}
