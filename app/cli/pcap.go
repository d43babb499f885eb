package cli

import (
	"fmt"
	"os"

	"maillab/lessons/i18n"
	"maillab/simulator/capture"
)

// writePcap saves the run as pcapng to file, or to stdout for "-" (to pipe
// into "wireshark -k -i -").
func writePcap(file string, tr traceRun, opts capture.Options, env Env) int {
	fail := func(err error) int {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.pcap-failed", map[string]string{"file": file, "err": err.Error()}))
		return 1
	}
	if file == "-" {
		if err := capture.Write(env.Stdout, tr.captureLog, tr.chunks, opts); err != nil {
			return fail(err)
		}
		return 0
	}
	f, err := os.Create(file)
	if err != nil {
		return fail(err)
	}
	err = capture.Write(f, tr.captureLog, tr.chunks, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.pcap-written", map[string]string{"file": file}))
	return 0
}
