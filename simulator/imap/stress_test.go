package imap_test

import (
	"bufio"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
)

// stressClient is one of imaptest's stress-mode clients: it appends, sets
// keywords, fetches, searches and expunges in one shared mailbox, and
// checks what imaptest checks: every command is answered OK, and no FETCH
// shows a keyword the session was not told about in FLAGS first.
type stressClient struct {
	id     int
	conn   net.Conn
	r      *bufio.Reader
	tag    int
	flags  map[string]bool // what the server announced in * FLAGS
	errs   []string
	cmds   int
	append []time.Duration
}

func dialStress(addr string, id int) (*stressClient, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(2 * time.Minute))
	s := &stressClient{id: id, conn: c, r: bufio.NewReader(c), flags: map[string]bool{}}
	if _, err := s.r.ReadString('\n'); err != nil { // greeting
		return nil, err
	}
	s.cmd("LOGIN " + bob + " " + password)
	s.cmd("SELECT INBOX")
	return s, nil
}

// cmd sends one command and reads up to its tagged reply; a literal, if
// any, goes after the server's "+".
func (s *stressClient) cmd(line string, literal ...string) {
	s.tag++
	tag := fmt.Sprintf("c%d.%d", s.id, s.tag)
	s.cmds++
	fmt.Fprintf(s.conn, "%s %s\r\n", tag, line)
	for {
		l, err := s.r.ReadString('\n')
		if err != nil {
			s.errs = append(s.errs, fmt.Sprintf("%s %s: %v", tag, line, err))
			return
		}
		l = strings.TrimRight(l, "\r\n")
		switch {
		case strings.HasPrefix(l, "+") && len(literal) > 0:
			fmt.Fprintf(s.conn, "%s\r\n", literal[0])
			literal = nil
		case strings.HasPrefix(l, tag+" "):
			if !strings.HasPrefix(l, tag+" OK") {
				s.errs = append(s.errs, fmt.Sprintf("%s → %s", line, l))
			}
			return
		default:
			s.untagged(l)
		}
	}
}

// untagged notes FLAGS and checks the flags of each FETCH against them.
func (s *stressClient) untagged(l string) {
	if rest, ok := strings.CutPrefix(l, "* FLAGS ("); ok {
		clear(s.flags)
		for _, f := range strings.Fields(strings.TrimSuffix(rest, ")")) {
			s.flags[f] = true
		}
		return
	}
	_, after, ok := strings.Cut(l, " FLAGS (")
	if !ok || !strings.Contains(l, " FETCH (") {
		return
	}
	list, _, _ := strings.Cut(after, ")")
	for _, f := range strings.Fields(list) {
		if !strings.HasPrefix(f, `\`) && !s.flags[f] {
			s.errs = append(s.errs, fmt.Sprintf("keyword %s used without being in FLAGS: %s", f, l))
		}
	}
}

// round is one pass of the mix imaptest's stress mode sends.
func (s *stressClient) round(i int) {
	kw := fmt.Sprintf("$Label%d", (s.id+i)%5)
	msg := fmt.Sprintf("From: c%d@example.net\r\nTo: bob@example.net\r\nSubject: stress %d.%d\r\n\r\nbody\r\n", s.id, s.id, i)
	t0 := time.Now()
	s.cmd(fmt.Sprintf("APPEND INBOX (%s) {%d}", kw, len(msg)), msg)
	s.append = append(s.append, time.Since(t0))
	s.cmd("UID STORE 1:* +FLAGS (" + kw + ")")
	s.cmd("UID FETCH 1:* (FLAGS)")
	s.cmd("SEARCH KEYWORD " + kw)
	if i%4 == 3 {
		s.cmd(`UID STORE 1:* +FLAGS.SILENT (\Deleted)`)
		s.cmd("EXPUNGE")
	}
	s.cmd("NOOP")
}

// stress runs clients×rounds and returns every client's record.
func stress(t testing.TB, clients, rounds int) []*stressClient {
	e := start(t, imap.Options{AuthFailureDelay: -1}, nil)
	all := make([]*stressClient, clients)
	for i := range all {
		c, err := dialStress(e.addr, i)
		require.NoError(t, err)
		all[i] = c
	}
	var wg sync.WaitGroup
	for _, c := range all {
		wg.Go(func() {
			for i := range rounds {
				c.round(i)
			}
			c.cmd("LOGOUT")
			c.conn.Close()
		})
	}
	wg.Wait()
	return all
}

// TestStressTenClients: ten clients at once in one mailbox, as imaptest's
// stress mode runs them, get no protocol error.
func TestStressTenClients(t *testing.T) {
	for _, c := range stress(t, 10, 12) {
		assert.Empty(t, c.errs, "client %d", c.id)
	}
}

// BenchmarkIMAPStress prints commands/s and APPEND p50/p95 for ten
// concurrent clients (make bench), and how many protocol errors they saw.
func BenchmarkIMAPStress(b *testing.B) {
	rounds := max(1, b.N/10)
	t0 := time.Now()
	all := stress(b, 10, rounds)
	cps, p50, p95, errs := stressFigures(all, time.Since(t0))
	b.ReportMetric(cps, "cmds/s")
	b.ReportMetric(float64(p50.Microseconds())/1000, "append-p50-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, "append-p95-ms")
	b.ReportMetric(float64(errs), "protocol-errors")
}

// stressFigures summarises a run for printing.
func stressFigures(all []*stressClient, d time.Duration) (cmdsPerSec float64, p50, p95 time.Duration, errs int) {
	var cmds int
	var appends []time.Duration
	for _, c := range all {
		cmds += c.cmds
		errs += len(c.errs)
		appends = append(appends, c.append...)
	}
	slices.Sort(appends)
	if len(appends) > 0 {
		p50, p95 = appends[len(appends)/2], appends[len(appends)*95/100]
	}
	return float64(cmds) / d.Seconds(), p50, p95, errs
}
