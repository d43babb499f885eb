package cli

import (
	"maillab/lessons/export"
	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
)

// printMarkdown prints the transcript as the Markdown export writes it:
// a table per connection with every line explained in lang.
func printMarkdown(id string, log []event.Event, lang string, secrets bool, env Env) int {
	sc, _ := scenario.Get(id)
	opts := export.Options{Lang: lang, Scenario: id, Title: i18n.T(lang, sc.Title, nil), Secrets: secrets}
	if err := export.Markdown(env.Stdout, log, opts); err != nil {
		return 1
	}
	return 0
}
