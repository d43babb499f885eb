//go:build js && wasm

package app

import (
	"bytes"
	"encoding/json"
	"io"
	"syscall/js"
	"time"

	"maillab/simulator/world"
)

// RunWasm is the web edition's Go side. It runs inside a Web Worker
// (frontend/src/lib/bridge/worker.ts): the agents talk over Go's
// in-process network on js/wasm, so nothing leaves the page. It sets the
// global maillab = {methods, call, cli}, pushes every hub message to the
// global maillabPush(name, json) and never returns.
//
//	maillab.call(method, argsJSON) → Promise<string>  {"result": …} | {"error": "…"}
//	maillab.cli(args[])            → Promise<{code, out, err, ms}>   the command line, for the figures
//
// cliMain is the command line (app/cli, which lives above this package).
func RunWasm(cliMain CLIMain) {
	// The same world as `maillab serve`: the port map exists only inside
	// this page, so the live world and the terminal find every server.
	a := New(Options{World: world.Options{Bind: "127.0.0.1", PortBase: 10000}})
	expose(a, cliMain)
	js.Global().Call("maillabReady")
	select {}
}

// expose sets the global maillab over a's method table and forwards the
// hub to maillabPush; release undoes both (tests).
func expose(a *App, cliMain CLIMain) (release func()) {
	d := NewDispatcher(a)
	push := js.Global().Get("maillabPush")
	cancel := HubOf(a).Subscribe(func(m Message) {
		data, err := json.Marshal(m.Data)
		if err != nil {
			return
		}
		push.Invoke(m.Name, string(data))
	})
	methods := []any{}
	for _, n := range d.Methods() {
		methods = append(methods, n)
	}
	call := js.FuncOf(func(_ js.Value, args []js.Value) any {
		method, argsJSON := args[0].String(), args[1].String()
		return promise(func() any { return d.Call(method, argsJSON) })
	})
	runCLI := js.FuncOf(func(_ js.Value, args []js.Value) any {
		argv := make([]string, args[0].Length())
		for i := range argv {
			argv[i] = args[0].Index(i).String()
		}
		return promise(func() any { return cliRun(cliMain, argv) })
	})
	js.Global().Set("maillab", js.ValueOf(map[string]any{"methods": methods, "call": call, "cli": runCLI}))
	return func() {
		cancel()
		js.Global().Delete("maillab")
		call.Release()
		runCLI.Release()
	}
}

// promise runs f on a goroutine of its own: a js.FuncOf callback must
// return at once, or the worker's event loop (and every timer the agents
// wait on) stops.
func promise(f func() any) js.Value {
	var handler js.Func
	handler = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		go func() {
			defer handler.Release()
			resolve.Invoke(f())
		}()
		return nil
	})
	return js.Global().Get("Promise").New(handler)
}

// CLIMain runs the command line with args, writing to stdout and stderr.
type CLIMain func(args []string, stdout, stderr io.Writer) int

// cliRun runs the command line with its output in buffers.
func cliRun(cliMain CLIMain, argv []string) any {
	var out, errOut bytes.Buffer
	start := time.Now()
	code := cliMain(argv, &out, &errOut)
	return map[string]any{"code": code, "out": out.String(), "err": errOut.String(),
		"ms": float64(time.Since(start).Microseconds()) / 1000}
}
