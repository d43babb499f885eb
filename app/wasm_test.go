//go:build js && wasm

package app

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"syscall/js"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/world"
)

// await waits for a JS promise, as the worker's page would.
func await(t *testing.T, p js.Value) js.Value {
	t.Helper()
	done := make(chan js.Value, 1)
	f := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- args[0]; return nil })
	defer f.Release()
	p.Call("then", f)
	select {
	case v := <-done:
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("the promise did not settle")
		return js.Undefined()
	}
}

// The global the worker calls, exercised under js/wasm itself (make test
// runs this package with Go's go_js_wasm_exec under Node).
func TestWasmGlobal(t *testing.T) {
	var mu sync.Mutex
	pushed := map[string]int{}
	pushFn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		mu.Lock()
		defer mu.Unlock()
		pushed[args[0].String()]++
		assert.True(t, json.Valid([]byte(args[1].String())), "pushed data is JSON")
		return nil
	})
	defer pushFn.Release()
	js.Global().Set("maillabPush", pushFn)
	defer js.Global().Delete("maillabPush")

	a := New(Options{World: world.Options{Bind: "127.0.0.1", PortBase: 10000}})
	defer a.Close()
	release := expose(a, func(args []string, stdout, _ io.Writer) int {
		fmt.Fprintln(stdout, "ran", strings.Join(args, " "))
		return 0
	})
	defer release()
	g := js.Global().Get("maillab")
	require.Equal(t, js.TypeObject, g.Type(), "maillab is set")

	// dispatch_test.go checks that serve's HTTP API uses this same table.
	var served []string
	for n := range Methods(a) {
		served = append(served, n)
	}
	sort.Strings(served)
	var listed []string
	for i := 0; i < g.Get("methods").Length(); i++ {
		listed = append(listed, g.Get("methods").Index(i).String())
	}
	assert.Equal(t, served, listed, "the worker lists the methods serve dispatches")

	call := func(method, args string) (json.RawMessage, string) {
		var r struct {
			Result json.RawMessage `json:"result"`
			Error  string          `json:"error"`
		}
		require.NoError(t, json.Unmarshal([]byte(await(t, g.Call("call", method, args)).String()), &r))
		return r.Result, r.Error
	}
	res, errText := call("start", `["send-pop3"]`)
	require.Empty(t, errText)
	var info RunInfo
	require.NoError(t, json.Unmarshal(res, &info))
	assert.Equal(t, "send-pop3", info.Scenario)

	// The world listens on the in-process network: the first line waits at the gate.
	require.Eventually(t, func() bool {
		res, _ := call("waiting", "")
		return len(res) > 2
	}, 20*time.Second, 20*time.Millisecond, "a line waits")
	res, errText = call("step", "")
	require.Empty(t, errText)
	assert.Equal(t, "true", string(res))
	_, errText = call("nope", "[]")
	assert.Equal(t, "unknown method nope", errText)

	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return pushed[EventRun] == 1 && pushed[EventLines] > 0
	}, 5*time.Second, 10*time.Millisecond, "the run and its lines were pushed")

	out := await(t, g.Call("cli", js.ValueOf([]any{"trace", "send-pop3"})))
	assert.Equal(t, 0, out.Get("code").Int())
	assert.Equal(t, "ran trace send-pop3\n", out.Get("out").String())
}
