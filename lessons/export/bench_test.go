package export

import (
	"io"
	"testing"

	"maillab/simulator/event"
)

// BenchmarkExport measures the explained transcripts of the tls scenario
// (every kind of line: SMTP, LMTP, POP3, IMAP, DNS, TLS records) in German.
func BenchmarkExport(b *testing.B) {
	log := runScenario(b, "tls")
	opts := Options{Lang: "de", Scenario: "tls", Title: "tls"}
	for _, f := range []struct {
		name  string
		write func(io.Writer, []event.Event, Options) error
	}{{"text", Text}, {"markdown", Markdown}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(log)), "lines")
			for i := 0; i < b.N; i++ {
				if err := f.write(io.Discard, log, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
