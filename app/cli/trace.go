package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"maillab/lessons/export"
	"maillab/lessons/i18n"
	"maillab/simulator/capture"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/transcript"
	"maillab/simulator/world"
)

func trace(args []string, env Env) int {
	pos, rest := splitPositional(args)
	fs := newFlags("trace", env)
	asJSON := fs.Bool("json", false, "print the event log, one JSON object per line")
	lang := fs.String("lang", env.Lang, "language: en, de or pl")
	secrets := fs.Bool("show-secrets", false, "print passwords and AUTH lines as sent (and keep them in the --pcap file)")
	showTLS := fs.Bool("tls", false, "also print TLS handshake records")
	explainLines := fs.Bool("explain", false, "print a plain-language explanation with its RFC under each line")
	pcap := fs.String("pcap", "", "also save the run as a pcapng file for Wireshark (\"-\" writes it to stdout instead of the transcript)")
	keys := fs.Bool("keys", false, "with --pcap: include the TLS secrets so Wireshark decrypts TLS; Wireshark can then show passwords sent inside TLS, so this implies --show-secrets for the file")
	markdown := fs.Bool("markdown", false, "print the transcript as Markdown, every line explained in --lang")
	realPorts := fs.Bool("real-ports", false, "with --pcap: keep the ports the servers really listened on instead of the well-known ones")
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	pos = append(pos, fs.Args()...)
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.trace-needs-scenario", nil))
		return 2
	}
	if !checkLang(*lang, env) {
		return 2
	}
	if *pcap == "" && (*keys || *realPorts) {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.pcap-needed", nil))
		return 2
	}
	if _, ok := scenario.Get(pos[0]); !ok {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.unknown-scenario", map[string]string{"id": pos[0]}))
		return 2
	}
	tr, err := runTrace(pos[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.scenario-failed", map[string]string{"id": pos[0], "err": err.Error()}))
		return 1
	}
	if *pcap != "" {
		// The keys reveal the passwords sent inside TLS: hiding the
		// plaintext ones would only pretend.
		opts := capture.Options{Secrets: *secrets || *keys, RealPorts: *realPorts}
		if *keys {
			opts.KeyLog = append([]string{}, tr.keyLog...)
		}
		if code := writePcap(*pcap, tr, opts, env); code != 0 || *pcap == "-" {
			return code
		}
	}
	log := tr.log
	if *asJSON {
		return printJSON(log, *secrets, env)
	}
	if *markdown {
		return printMarkdown(pos[0], log, *lang, *secrets, env)
	}
	opts := transcript.Options{ShowSecrets: *secrets, ShowTLS: *showTLS, Describe: export.Describer(*lang)}
	// Asking for a language means asking to be taught in it: --lang
	// prints the explanations too, as --explain does.
	if *explainLines || flagSet(fs, "lang") {
		opts.Explain = export.Explainer(*lang)
	}
	if err := transcript.Write(env.Stdout, log, opts); err != nil {
		return 1
	}
	return 0
}

// traceRun is what a finished run leaves for printing and capture.
type traceRun struct {
	log []event.Event // as the transcript prints it: up to the script's end
	// The capture is taken once the world has stopped, so it holds every
	// byte; connections still open at the end have no close.
	captureLog []event.Event
	chunks     []event.Chunk
	keyLog     []string
}

func runTrace(id string) (traceRun, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{})
	if err != nil {
		return traceRun{}, err
	}
	tr := traceRun{log: r.World.Conductor.Log()}
	r.Close()
	tr.captureLog, tr.chunks = r.World.Conductor.Log(), r.World.Conductor.Chunks()
	tr.keyLog = r.World.CA.KeyLog.Lines()
	return tr, nil
}

func printJSON(log []event.Event, secrets bool, env Env) int {
	enc := json.NewEncoder(env.Stdout)
	for _, ev := range log {
		if !secrets {
			ev = ev.Redacted()
		}
		if err := enc.Encode(ev); err != nil {
			return 1
		}
	}
	return 0
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
