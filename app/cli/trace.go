package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"maillab/lessons/export"
	"maillab/lessons/i18n"
	"maillab/simulator/capture"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/transcript"
	"maillab/simulator/world"
)

// traceFlags are trace's options.
type traceFlags struct {
	asJSON, secrets, showTLS, explain, keys, markdown, realPorts bool
	lang, pcap                                                   string
}

func newTraceCmd(env Env) *cobra.Command {
	var f traceFlags
	cmd := &cobra.Command{
		Use:               "trace SCENARIO",
		Short:             i18n.T(env.Lang, "cli.cmd.trace", nil),
		Example:           "  maillab trace send-pop3 --explain\n  maillab trace tls --pcap tls.pcapng --keys",
		ValidArgsFunction: scenarioIDs,
		RunE: func(c *cobra.Command, args []string) error {
			return exit(trace(f, args, c.Flags().Changed("lang"), env))
		},
	}
	fs := cmd.Flags()
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	fs.BoolVar(&f.asJSON, "json", false, t("cli.flag.json"))
	langFlag(cmd, &f.lang, env)
	fs.BoolVar(&f.secrets, "show-secrets", false, t("cli.flag.show-secrets"))
	fs.BoolVar(&f.showTLS, "tls", false, t("cli.flag.tls"))
	fs.BoolVar(&f.explain, "explain", false, t("cli.flag.explain"))
	fs.StringVar(&f.pcap, "pcap", "", t("cli.flag.pcap"))
	fs.BoolVar(&f.keys, "keys", false, t("cli.flag.keys"))
	fs.BoolVar(&f.markdown, "markdown", false, t("cli.flag.markdown"))
	fs.BoolVar(&f.realPorts, "real-ports", false, t("cli.flag.real-ports"))
	return cmd
}

func trace(f traceFlags, pos []string, langGiven bool, env Env) int {
	asJSON, lang, secrets, showTLS, explainLines := &f.asJSON, &f.lang, &f.secrets, &f.showTLS, &f.explain
	pcap, keys, markdown, realPorts := &f.pcap, &f.keys, &f.markdown, &f.realPorts
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
	if *explainLines || langGiven {
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
