// Package export turns the log of a run into documents a learner keeps: a
// plain-text and a Markdown transcript with every line explained in the
// reader's language. It lives beside the explanations because it needs
// them; the pcapng capture is simulator/capture's, which needs none.
package export

import (
	"fmt"
	"io"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/transcript"
)

// Options say what an exported transcript shows.
type Options struct {
	Lang     string
	Scenario string    // the scenario's id
	Title    string    // its title in Lang
	Date     time.Time // when the run started; zero: the first event's time
	// Secrets prints passwords and AUTH lines as they were sent; without
	// it they read "********", as on screen.
	Secrets bool
}

// Text writes the transcript as `maillab trace --explain --tls` prints it,
// under a short header in the reader's language.
func Text(w io.Writer, log []event.Event, opts Options) error {
	t := func(key string, p map[string]string) string { return i18n.T(opts.Lang, key, p) }
	secrets := t("export.redacted.text", nil)
	if opts.Secrets {
		secrets = t("export.secrets", nil)
	}
	_, err := fmt.Fprintf(w, "%s\n%s\n%s %s\n", t("export.title", map[string]string{"title": opts.Title}),
		t("export.recorded", map[string]string{"scenario": opts.Scenario, "date": dateOf(opts, log)}),
		t("export.legend.text", nil), secrets)
	if err != nil {
		return err
	}
	if len(log) == 0 {
		_, err = fmt.Fprintf(w, "\n%s\n", t("export.empty", nil))
		return err
	}
	return transcript.Write(w, log, transcript.Options{
		ShowSecrets: opts.Secrets, ShowTLS: true,
		Explain: Explainer(opts.Lang), Describe: Describer(opts.Lang),
		Header: func(ev event.Event) string { return "--- " + connection(opts.Lang, ev, plain) },
	})
}

// dateOf is the document's date: when the run started.
func dateOf(opts Options, log []event.Event) string {
	d := opts.Date
	if d.IsZero() && len(log) > 0 {
		d = log[0].Time
	}
	if d.IsZero() {
		d = time.Now()
	}
	return d.Format("2006-01-02 15:04:05 MST")
}
