// Package bench measures the full path of one message in instant mode:
// submission with AUTH → MSA → queue → DNS → MX → LMTP → store → POP3
// RETR/DELE, with the tap on and off. `make bench` prints the figures.
package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func BenchmarkFullPath(b *testing.B) {
	for _, tap := range []bool{true, false} {
		b.Run(fmt.Sprintf("tap=%v", tap), func(b *testing.B) { fullPath(b, tap) })
	}
}

func fullPath(b *testing.B, tap bool) {
	w, err := world.Start(world.Options{NoTap: !tap})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	alice, bob := w.Device("alice-laptop"), w.Device("bob-laptop")
	queue := w.Provider("example.org").Queue
	draft := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "Benchmark",
		Body: "Hello Bob.\r\n", Date: time.Now()}
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		if err := alice.Submit(ctx, draft, mua.SubmitOptions{Security: mua.StartTLS}); err != nil {
			b.Fatal(err)
		}
		if err := queue.Flush(ctx); err != nil {
			b.Fatal(err)
		}
		n, err := bob.FetchPOP3(ctx, mua.POP3Options{Security: mua.StartTLS})
		if err != nil || n != 1 {
			b.Fatalf("FetchPOP3 = %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/msg")
}
