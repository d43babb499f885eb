//go:build js && wasm

// The web edition's entry: the same app layer, run inside a Web Worker of
// the page (make web). No frontend is embedded: the page serves it.
package main

import (
	"io"

	"maillab/app"
	"maillab/app/cli"
)

func main() {
	app.RunWasm(func(args []string, stdout, stderr io.Writer) int {
		return cli.Main(args, cli.Env{Stdout: stdout, Stderr: stderr, Lang: "en"})
	})
}
