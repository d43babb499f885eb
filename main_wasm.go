//go:build js && wasm

// The web edition's entry: the same app layer, run inside a Web Worker of
// the page (make web). No frontend is embedded: the page serves it.
package main

import "maillab/app"

func main() { app.RunWasm() }
