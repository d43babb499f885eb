//go:build !windows && !(js && wasm)

package main

// attachConsole has nothing to do where programs always have their terminal.
func attachConsole() {}
