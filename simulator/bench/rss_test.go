package bench

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

// BenchmarkRSSAfterManyMessages sends b.N messages through the full path
// with the tap on, one live run as in a classroom day, and reports the
// process's resident memory afterwards (rss-MB), the live heap after a GC
// (heap-MB) and what the run keeps (recorded-MB). The recording has a
// budget (conductor.DefaultRunBytes), so these stay flat however many
// messages go through. A figure, not an assertion. It sends at least
// rssMessages, whatever b.N: memory after a few hundred says little.
func BenchmarkRSSAfterManyMessages(b *testing.B) {
	w, err := world.Start(world.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	alice, bob := w.Device("alice-laptop"), w.Device("bob-laptop")
	queue := w.Provider("example.org").Queue
	draft := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "RSS",
		Body: strings.Repeat("A line of a longer message, as a class sends them.\r\n", 40), Date: time.Now()}
	n := max(b.N, rssMessages)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < n; i++ {
		if err := alice.Submit(ctx, draft, mua.SubmitOptions{Security: mua.StartTLS}); err != nil {
			b.Fatal(err)
		}
		if err := queue.Flush(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := bob.FetchPOP3(ctx, mua.POP3Options{Security: mua.StartTLS}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(n), "ns/op")
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(n), "msgs")
	b.ReportMetric(float64(rss())/(1<<20), "rss-MB")
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(w.Conductor.Size())/(1<<20), "recorded-MB")
	b.ReportMetric(float64(w.Conductor.Dropped().Events), "dropped-events")
}

// rssMessages is how many messages the RSS figure follows at least, as
// many as a long classroom day sends.
const rssMessages = 10000

// rss is the resident set size in bytes (Linux; 0 elsewhere).
func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
