// Maillab: watch an email travel. main only wires the command line to the
// simulator; the desktop shell arrives with the app layer.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"maillab/simulator/cli"
)

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig}))
}
