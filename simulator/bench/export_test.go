package bench

import (
	"context"
	"io"
	"testing"
	"time"

	"maillab/simulator/capture"
	"maillab/simulator/mua"
	"maillab/simulator/world"
)

// exportMessages is how many full paths the exported run holds: a long
// classroom session, not a single scenario.
const exportMessages = 50

// BenchmarkCapture measures writing the pcapng of a run of 50 messages
// (about 5,000 lines), with and without the TLS secrets block.
func BenchmarkCapture(b *testing.B) {
	w := recordedWorld(b)
	defer w.Close()
	log, chunks := w.Conductor.Log(), w.Conductor.Chunks()
	keys := w.CA.KeyLog.Lines()
	for _, c := range []struct {
		name string
		opts capture.Options
	}{{"plain", capture.Options{}}, {"keys", capture.Options{KeyLog: keys}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(len(log)), "lines")
			for i := 0; i < b.N; i++ {
				if err := capture.Write(io.Discard, log, chunks, c.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// recordedWorld runs exportMessages full paths with the tap on.
func recordedWorld(b *testing.B) *world.World {
	b.Helper()
	w, err := world.Start(world.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	alice, bob := w.Device("alice-laptop"), w.Device("bob-laptop")
	draft := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "Export",
		Body: "Hello Bob.\r\n", Date: time.Now()}
	for i := 0; i < exportMessages; i++ {
		if err := alice.Submit(ctx, draft, mua.SubmitOptions{Security: mua.StartTLS}); err != nil {
			b.Fatal(err)
		}
		if err := w.Provider("example.org").Queue.Flush(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := bob.FetchPOP3(ctx, mua.POP3Options{Security: mua.StartTLS}); err != nil {
			b.Fatal(err)
		}
	}
	return w
}
