package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"maillab/lessons/explain"
	"maillab/lessons/i18n"
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
	secrets := fs.Bool("show-secrets", false, "print passwords and AUTH lines as sent")
	showTLS := fs.Bool("tls", false, "also print TLS handshake records")
	explainLines := fs.Bool("explain", false, "print a plain-language explanation with its RFC under each line")
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
	if _, ok := scenario.Get(pos[0]); !ok {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.unknown-scenario", map[string]string{"id": pos[0]}))
		return 2
	}
	log, err := runTrace(pos[0])
	if err != nil {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.scenario-failed", map[string]string{"id": pos[0], "err": err.Error()}))
		return 1
	}
	if *asJSON {
		return printJSON(log, *secrets, env)
	}
	opts := transcript.Options{ShowSecrets: *secrets, ShowTLS: *showTLS, Describe: describer(*lang)}
	// Asking for a language means asking to be taught in it: --lang
	// prints the explanations too, as --explain does.
	if *explainLines || flagSet(fs, "lang") {
		opts.Explain = explainer(*lang)
	}
	if err := transcript.Write(env.Stdout, log, opts); err != nil {
		return 1
	}
	return 0
}

func runTrace(id string) ([]event.Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.World.Conductor.Log(), nil
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

// describer renders actions and state notes in the chosen language.
func describer(lang string) func(event.Event) string {
	return func(ev event.Event) string {
		if ev.Code == "" || !i18n.Has(ev.Code) {
			return ""
		}
		actor := ev.Actor
		if i18n.Has("node." + actor) {
			actor = i18n.T(lang, "node."+actor, nil)
		}
		params := map[string]string{"actor": actor}
		for k, v := range ev.Params {
			params[k] = v
		}
		return i18n.T(lang, ev.Code, params)
	}
}

// explainer explains each printed line in lang, with one tracker per
// connection because a line's meaning depends on what came before on it.
// --explain or --lang turns this on.
func explainer(lang string) func(event.Event) string {
	trackers := map[uint64]*explain.Tracker{}
	return func(ev event.Event) string {
		t, ok := trackers[ev.Conn]
		if !ok {
			t = explain.NewTracker()
			trackers[ev.Conn] = t
		}
		x := t.Explain(ev)
		text := explain.Text(lang, x)
		if text == "" || x.RFC == "" {
			return text
		}
		return text + " (" + x.RFC + ")"
	}
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
