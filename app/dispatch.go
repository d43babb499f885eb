package app

import (
	"encoding/json"
	"sort"
)

// Dispatcher runs calls by name from the one method table, with the
// arguments and the reply as JSON: what a transport without HTTP (the
// web edition's worker) needs. Everyone who reaches a Dispatcher controls
// the run, as in the desktop window: there are no viewers in a worker.
type Dispatcher struct {
	calls map[string]call
}

// NewDispatcher returns a dispatcher over Methods(a).
func NewDispatcher(a *App) *Dispatcher { return &Dispatcher{calls: Methods(a)} }

// Methods lists the method names it serves, sorted.
func (d *Dispatcher) Methods() []string {
	names := make([]string, 0, len(d.calls))
	for n := range d.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// callReply is the JSON answer, the same shape the HTTP API writes.
type callReply struct {
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Call runs method with argsJSON (a JSON array, "" for none) and returns
// {"result": …} or {"error": "…"} as JSON. It never panics on bad input.
func (d *Dispatcher) Call(method, argsJSON string) string {
	c, ok := d.calls[method]
	if !ok {
		return encodeReply(callReply{Error: "unknown method " + method})
	}
	var args []json.RawMessage
	if argsJSON != "" {
		if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
			return encodeReply(callReply{Error: "bad arguments: " + err.Error()})
		}
	}
	result, err := c.run(args)
	if err != nil {
		return encodeReply(callReply{Error: err.Error()})
	}
	return encodeReply(callReply{Result: result})
}

func encodeReply(r callReply) string {
	b, err := json.Marshal(r)
	if err != nil {
		b, _ = json.Marshal(callReply{Error: "cannot encode the reply: " + err.Error()})
	}
	return string(b)
}
