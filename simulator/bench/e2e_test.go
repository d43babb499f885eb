package bench

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"maillab/simulator/pop3"
	"maillab/simulator/world"
)

// BenchmarkEndToEnd drives a running world the way the side-by-side load
// client (../shared/perf-baseline/mailload.py) drives `maillab world`: c
// submitters, each on one connection to smtp.example.org:587 with STARTTLS
// and AUTH PLAIN, send b.N messages of about 2 KiB to bob@example.net in
// all, while one POP3 poller (a new login every 10 ms, USER/PASS, UIDL,
// RETR, DELE, QUIT) takes them out of mail.example.net. The queue delivers
// by itself (AutoQueue), the tap is on, every MX checks SPF, DKIM and DMARC.
// msgs/s runs from the first submission to the last retrieval; allocs and
// bytes per op are per message, for the whole process (clients included),
// and so is cpu-ms/msg, the CPU time (user + system) per message, which a
// busy shared machine disturbs less than msgs/s; rss-MB is the process's
// resident size at the end.
func BenchmarkEndToEnd(b *testing.B) {
	for _, c := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) { endToEnd(b, c) })
	}
}

func endToEnd(b *testing.B, conc int) {
	opts := world.Options{AutoQueue: true}
	opts.AllowPlaintextAuth() // mailload's POP3 logs in without STLS, as Dovecot allows on loopback
	w, err := world.Start(opts)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	submit, _ := w.Dir.Addr("smtp.example.org", 587)
	pop, _ := w.Dir.Addr("mail.example.net", 110)
	tlsCfg := w.ClientTLS("smtp.example.org")
	body := bytes.Repeat([]byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 2)[:70]+"\r\n"), 2048/72)

	var next atomic.Int64
	var got atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b.ReportAllocs()
	b.ResetTimer()
	start, cpu := time.Now(), cpuTime()
	pollDone := make(chan error, 1)
	go func() { pollDone <- poll(ctx, pop, b.N, &got) }()
	var wg sync.WaitGroup
	errs := make(chan error, conc)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := submitter(submit, tlsCfg, body, b.N, &next); err != nil {
				errs <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	if err := <-pollDone; err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/msg")
	b.ReportMetric(rssMB(), "rss-MB")
}

// submitter sends messages until n were taken, on one connection.
func submitter(addr string, cfg *tls.Config, body []byte, n int, next *atomic.Int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello("mailload.test"); err != nil {
		return err
	}
	if err := c.StartTLS(cfg); err != nil {
		return err
	}
	if err := c.Auth(sasl.NewPlainClient("", "alice@example.org", "wonderland")); err != nil {
		return err
	}
	for {
		i := next.Add(1)
		if i > int64(n) {
			return c.Quit()
		}
		var msg bytes.Buffer
		fmt.Fprintf(&msg, "From: <alice@example.org>\r\nTo: <bob@example.net>\r\nSubject: load %d\r\n"+
			"Date: %s\r\nMessage-ID: <%d@bench.test>\r\nMIME-Version: 1.0\r\n"+
			"Content-Type: text/plain; charset=us-ascii\r\n\r\n", i, time.Now().Format(time.RFC1123Z), i)
		msg.Write(body)
		if err := c.SendMail("alice@example.org", []string{"bob@example.net"}, &msg); err != nil {
			return fmt.Errorf("message %d: %w", i, err)
		}
	}
}

// poll logs in as Bob every 10 ms and takes every message out, until n
// were retrieved.
func poll(ctx context.Context, addr string, n int, got *atomic.Int64) error {
	for got.Load() < int64(n) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%d of %d messages retrieved: %w", got.Load(), n, err)
		}
		if err := pop3Session(addr, got); err != nil {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

func pop3Session(addr string, got *atomic.Int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	c, err := pop3.NewClient(conn)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.User("bob@example.net"); err != nil {
		return err
	}
	if err := c.Pass("builder"); err != nil {
		return err
	}
	list, err := c.Uidl()
	if err != nil {
		return err
	}
	for _, m := range list {
		if _, err := c.Retr(m.Number); err != nil {
			return err
		}
		if err := c.Dele(m.Number); err != nil {
			return err
		}
	}
	if err := c.Quit(); err != nil {
		return err
	}
	got.Add(int64(len(list)))
	return nil
}

// rssMB is the process's resident set size in MB (0 where /proc is absent).
func rssMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuTime is the CPU time (user + system) the process has used so far: on a
// shared machine it varies much less than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
