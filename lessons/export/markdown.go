package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

// Markdown writes the transcript as a Markdown document: a title, the date
// and a legend, each action as a heading, and for each stretch of one
// connection a table with the step, the time since the first event, the
// direction, the line as code and what it means. Whatever came from the
// wire is escaped so that it reads literally and never becomes HTML.
func Markdown(w io.Writer, log []event.Event, opts Options) error {
	m := &mdWriter{w: w, opts: opts, explain: Explainer(opts.Lang), describe: Describer(opts.Lang)}
	m.head(log)
	for _, ev := range log {
		m.event(ev)
	}
	return m.err
}

type mdWriter struct {
	w                 io.Writer
	opts              Options
	explain, describe func(event.Event) string
	origin            time.Time
	current           uint64 // the connection whose table is open; 0: none
	err               error
}

func (m *mdWriter) t(key string, p map[string]string) string { return i18n.T(m.opts.Lang, key, p) }

func (m *mdWriter) printf(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, args...)
	}
}

func (m *mdWriter) head(log []event.Event) {
	m.printf("# %s\n\n", m.t("export.title", map[string]string{"title": mdText(m.opts.Title)}))
	m.printf("%s\n\n", m.t("export.recorded", map[string]string{"scenario": mdCode(m.opts.Scenario), "date": mdText(dateOf(m.opts, log))}))
	secrets := m.t("export.redacted.md", nil)
	if m.opts.Secrets {
		secrets = "**" + m.t("export.secrets", nil) + "**"
	}
	m.printf("%s %s\n", m.t("export.legend.md", nil), secrets)
	if len(log) == 0 {
		m.printf("\n%s\n", m.t("export.empty", nil))
		return
	}
	m.origin = log[0].Time
}

func (m *mdWriter) event(ev event.Event) {
	switch ev.Kind {
	case event.KindAction:
		m.current = 0
		if text := m.describe(ev); text != "" {
			m.printf("\n## %s\n", mdText(text))
		}
	case event.KindState:
		if text := m.describe(ev); text != "" {
			m.current = 0
			m.printf("\n*%s*\n", mdText(text))
		}
	case event.KindLine, event.KindPacket, event.KindTLS, event.KindSkip:
		m.table(ev)
		m.row(ev)
	}
}

// table opens a new table when the connection changes.
func (m *mdWriter) table(ev event.Event) {
	if ev.Conn == m.current {
		return
	}
	m.current = ev.Conn
	m.printf("\n### %s\n\n", connection(m.opts.Lang, ev, mdText))
	m.printf("| %s | %s | %s | %s | %s |\n| ---: | ---: | :-: | --- | --- |\n",
		m.t("export.col.step", nil), m.t("export.col.time", nil), m.t("export.col.dir", nil),
		m.t("export.col.line", nil), m.t("export.col.meaning", nil))
}

func (m *mdWriter) row(ev event.Event) {
	explained := m.explain(ev) // always, in order: the tracker follows the connection
	text := ev.Text
	if ev.Credential && !m.opts.Secrets {
		text = ev.Redacted().Text
	}
	line := mdCode(text)
	if ev.Truncated {
		line += " …"
		if ev.Tail != "" && (!ev.Credential || m.opts.Secrets) {
			line += " " + mdCode(ev.Tail)
		}
	}
	if ev.Kind == event.KindSkip {
		line = "…" // the explanation says how much
	}
	dir := string(ev.Dir)
	if ev.Encrypted {
		dir += " 🔒"
	}
	m.printf("| %d | %s | %s | %s | %s |\n", ev.Seq, m.elapsed(ev), dir, line, mdText(explained))
}

// elapsed is the time since the first event, with the reader's decimal
// separator.
func (m *mdWriter) elapsed(ev event.Event) string {
	s := strconv.FormatFloat(ev.Time.Sub(m.origin).Seconds(), 'f', 3, 64)
	if m.opts.Lang == "de" || m.opts.Lang == "pl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return "+" + s + " s"
}
