//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The web edition's worker and `maillab serve` dispatch from one table.
func TestDispatcherServesTheHTTPMethods(t *testing.T) {
	a := New(Options{})
	t.Cleanup(func() { a.Close() })
	h := NewHTTP(a, fstest.MapFS{}, "token")
	var served []string
	for n := range h.calls {
		served = append(served, n)
	}
	sort.Strings(served)
	assert.Equal(t, served, NewDispatcher(a).Methods())
}

func TestDispatcherCall(t *testing.T) {
	a := New(Options{})
	t.Cleanup(func() { a.Close() })
	d := NewDispatcher(a)
	decode := func(t *testing.T, s string) (res json.RawMessage, errText string) {
		t.Helper()
		var r struct {
			Result json.RawMessage `json:"result"`
			Error  string          `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(s), &r), "reply %s", s)
		return r.Result, r.Error
	}
	cases := []struct {
		name, method, args string
		wantErr            string
		wantResult         string
	}{
		{name: "unknown method", method: "nope", args: "[]", wantErr: "unknown method nope"},
		{name: "args not JSON", method: "scenarios", args: "{", wantErr: "bad arguments"},
		{name: "missing argument", method: "lesson", args: `["1"]`, wantErr: "missing argument 2"},
		{name: "argument of the wrong type", method: "events", args: `["x"]`, wantErr: "argument 1"},
		{name: "control before a run", method: "step", args: "", wantErr: ErrNoRun.Error()},
		{name: "no arguments", method: "waiting", args: "", wantResult: "[]"},
		{name: "arguments", method: "lessons", args: `["de"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, errText := decode(t, d.Call(tc.method, tc.args))
			if tc.wantErr != "" {
				assert.Contains(t, errText, tc.wantErr)
				return
			}
			assert.Empty(t, errText)
			if tc.wantResult != "" {
				assert.JSONEq(t, tc.wantResult, string(res))
			}
		})
	}

	t.Run("a run through the dispatcher", func(t *testing.T) {
		res, errText := decode(t, d.Call("start", `["send-pop3"]`))
		require.Empty(t, errText)
		var info RunInfo
		require.NoError(t, json.Unmarshal(res, &info))
		assert.Equal(t, "send-pop3", info.Scenario)
		res, errText = decode(t, d.Call("step", ""))
		require.Empty(t, errText)
		assert.Contains(t, []string{"true", "false"}, string(res), "step answers a boolean, false included")
	})
}
