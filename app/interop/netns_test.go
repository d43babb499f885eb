//go:build netns && linux

package interop_test

// The classroom network, for real: one Linux network namespace per
// machine on a bridge, addresses from 10.253.42.0/24 inside the
// namespaces only, the built binary's `classroom host` and `classroom
// join` in them, and Python's standard library as each student's mail
// client. Root only; `make classroom-netns` runs it (MAILLAB_BIN is the
// binary). Every namespace goes away when the test ends, failed or not.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

const (
	netnsSubnet = "10.253.42."
	netnsCode   = "K7Q-M4P"
	netnsRoom   = "room42"
	// netnsBudget and scaleBudget bound each run below go test's
	// -timeout, so the cleanups always run.
	netnsBudget = 3 * time.Minute
	scaleBudget = 5 * time.Minute
)

// netnsPrefix names this run's namespaces and links: "mlr<pid>".
var netnsPrefix = fmt.Sprintf("mlr%d", os.Getpid()%100000)

type netLab struct {
	t      *testing.T
	ctx    context.Context
	bin    string
	dir    string
	spaces []string
}

// machine is one process of the room in its namespace.
type machine struct {
	name, ns, ip string
	cmd          *exec.Cmd
	out          *lineBuf
	done         chan struct{}
}

type lineBuf struct {
	mu    sync.Mutex
	lines []string
}

func (b *lineBuf) add(l string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, l)
}

func (b *lineBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

func (b *lineBuf) count(re *regexp.Regexp) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, l := range b.lines {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

func ipCmd(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// removeStale deletes namespaces an earlier run left behind when it was
// killed: only this harness's names whose process is gone.
func removeStale(t *testing.T) {
	out, err := exec.Command("ip", "netns", "list").Output()
	require.NoError(t, err)
	re := regexp.MustCompile(`^mlr(\d+)-\S+`)
	for _, l := range strings.Split(string(out), "\n") {
		m := re.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil && pid != 0 {
			continue // a run still going (or a pid reused: leave it)
		}
		exec.Command("ip", "netns", "del", m[0]).Run()
	}
}

func newNetLab(t *testing.T, budget time.Duration) *netLab {
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Fatal("ip (iproute2) is missing: make classroom-netns installs it")
	}
	bin := os.Getenv("MAILLAB_BIN")
	if bin == "" {
		t.Skip("MAILLAB_BIN is not set: run make classroom-netns")
	}
	removeStale(t)
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	lab := &netLab{t: t, ctx: ctx, bin: bin, dir: t.TempDir()}
	t.Cleanup(func() {
		cancel()
		for _, ns := range lab.spaces {
			exec.Command("ip", "netns", "del", ns).Run() // takes its veth ends and the bridge along
		}
	})
	sw := lab.namespace("sw")
	require.NoError(t, ipCmd(ctx, "-n", sw, "link", "add", "br0", "type", "bridge"))
	require.NoError(t, ipCmd(ctx, "-n", sw, "link", "set", "br0", "up"))
	return lab
}

func (l *netLab) namespace(name string) string {
	ns := netnsPrefix + "-" + name
	require.NoError(l.t, ipCmd(l.ctx, "netns", "add", ns))
	l.spaces = append(l.spaces, ns)
	require.NoError(l.t, ipCmd(l.ctx, "-n", ns, "link", "set", "lo", "up"))
	return ns
}

// plug makes a machine's namespace with eth0 on the bridge at .n.
func (l *netLab) plug(name string, n int) (ns, ip string) {
	ns = l.namespace(name)
	sw := netnsPrefix + "-sw"
	v, p := fmt.Sprintf("%sv%d", netnsPrefix, n), fmt.Sprintf("%sp%d", netnsPrefix, n)
	ip = netnsSubnet + strconv.Itoa(n)
	for _, args := range [][]string{
		{"link", "add", v, "type", "veth", "peer", "name", p},
		{"link", "set", v, "netns", ns},
		{"link", "set", p, "netns", sw},
		{"-n", sw, "link", "set", p, "master", "br0"},
		{"-n", sw, "link", "set", p, "up"},
		{"-n", ns, "link", "set", v, "name", "eth0"},
		{"-n", ns, "addr", "add", ip + "/24", "dev", "eth0"},
		{"-n", ns, "link", "set", "eth0", "up"},
	} {
		require.NoError(l.t, ipCmd(l.ctx, args...))
	}
	return ns, ip
}

// start runs the binary in ns and waits until it printed ready.
func (l *netLab) start(name, ns, ip, ready string, args ...string) *machine {
	l.t.Helper()
	m := &machine{name: name, ns: ns, ip: ip, out: &lineBuf{}, done: make(chan struct{})}
	m.cmd = exec.CommandContext(l.ctx, "ip", append([]string{"netns", "exec", ns, l.bin}, args...)...)
	// ip execs the binary in place: if the test dies, so does it.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	m.cmd.Env = append(os.Environ(), "MAILLAB_LANG=en")
	stdout, err := m.cmd.StdoutPipe()
	require.NoError(l.t, err)
	m.cmd.Stderr = m.cmd.Stdout
	require.NoError(l.t, m.cmd.Start())
	go func() {
		defer close(m.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			m.out.add(sc.Text())
		}
		m.cmd.Wait()
	}()
	l.t.Cleanup(func() { m.kill() })
	l.waitOut(m, regexp.MustCompile(regexp.QuoteMeta(ready)), 1)
	return m
}

func (m *machine) kill() {
	if m.cmd.Process != nil {
		m.cmd.Process.Kill()
	}
	<-m.done
}

// interrupt is Ctrl-C: the machine leaves the room and ends.
func (m *machine) interrupt(t *testing.T) {
	require.NoError(t, m.cmd.Process.Signal(os.Interrupt))
	select {
	case <-m.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not stop after Ctrl-C:\n%s", m.name, m.out)
	}
}

// waitOut waits until m printed n lines matching re.
func (l *netLab) waitOut(m *machine, re *regexp.Regexp, n int) {
	l.t.Helper()
	for m.out.count(re) < n {
		select {
		case <-m.done:
			l.t.Fatalf("%s ended before printing %s:\n%s", m.name, re, m.out)
		case <-l.ctx.Done():
			l.t.Fatalf("%s never printed %s ×%d:\n%s", m.name, re, n, m.out)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// py runs the room client inside ns.
func (l *netLab) py(ns string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
	defer cancel()
	script, _ := filepath.Abs(filepath.Join("testdata", "room_client.py"))
	out, err := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, "python3", script}, args...)...).CombinedOutput()
	return string(out), err
}

// until retries a client call until ok says its output is what the test
// waits for.
func (l *netLab) until(what string, call func() (string, error), ok func(string) bool) string {
	l.t.Helper()
	var out string
	var err error
	for {
		out, err = call()
		if err == nil && ok(out) {
			return out
		}
		select {
		case <-l.ctx.Done():
			l.t.Fatalf("%s: never: %v\n%s", what, err, out)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

type student struct {
	*machine
	account, password, domain, ca string
	ports                         classroom.Ports
}

func (l *netLab) join(name, ns, ip string) *student {
	s := &student{account: name + "@" + name + "." + netnsRoom + ".test", password: "pw-" + name,
		domain: name + "." + netnsRoom + ".test", ca: filepath.Join(l.dir, name+"-ca.pem"), ports: classroom.PortPlan(classroom.DefaultPortOffset)}
	// No --bind: the student's address is the one that reaches the host.
	s.machine = l.start(name, ns, ip, "You are in the room", "classroom", "join", netnsSubnet+"1", "--code", strings.ToLower(netnsCode),
		"--name", name, "--password", s.password, "--ca-file", s.ca, "--retry", "1s")
	return s
}

func (l *netLab) send(from *student, subject string, to ...string) {
	l.t.Helper()
	out, err := l.py(from.ns, append([]string{"send", from.ip, strconv.Itoa(from.ports.Submission), from.ca, from.account, from.password, subject}, to...)...)
	require.NoError(l.t, err, out)
	require.Contains(l.t, out, "sent refused=0")
}

// inbox waits until s's INBOX (POP3 over TLS, from s's own machine) has
// every subject, and returns what POP3 printed.
func (l *netLab) inbox(s *student, subjects ...string) string {
	l.t.Helper()
	return l.until(s.name+"'s INBOX", func() (string, error) {
		return l.py(s.ns, "pop3", s.ip, strconv.Itoa(s.ports.POP3S), s.ca, s.account, s.password)
	}, func(out string) bool {
		for _, sub := range subjects {
			if !strings.Contains(out, "Subject: "+sub) {
				return false
			}
		}
		return true
	})
}

func TestNetnsClassroom(t *testing.T) {
	started := time.Now()
	lab := newNetLab(t, netnsBudget)
	hostNS, hostIP := lab.plug("host", 1)
	names := []string{"anna", "ben", "cleo"}
	spaces := map[string][2]string{}
	for i, n := range names {
		ns, ip := lab.plug(n, i+2)
		spaces[n] = [2]string{ns, ip}
	}
	host := lab.start("host", hostNS, hostIP, "Room map", "classroom", "host", "--room", netnsRoom, "--bind", hostIP, "--code", netnsCode,
		"--challenge", "mx-nowhere")
	require.Contains(t, host.out.String(), "DNS server: "+hostIP+":53", "as root the room DNS has port 53")
	lab.waitOut(host, regexp.MustCompile(`^⚑ Challenge handed out to the room: `), 1)
	students := map[string]*student{}
	for _, n := range names {
		students[n] = lab.join(n, spaces[n][0], spaces[n][1])
		assert.Contains(t, students[n].out.String(), "You are the mail provider "+students[n].domain)
		// The room's challenge reaches each student's machine with the join.
		lab.waitOut(students[n].machine, regexp.MustCompile(`^⚑ The room's challenge: The MX that is not there`), 1)
	}
	lab.waitOut(host, regexp.MustCompile(`^\+ \S+ joined from `), 3)

	// The room DNS answers MX for each, asked from a student's machine.
	for i, n := range names {
		out, err := lab.py(spaces["anna"][0], "mx", hostIP, "53", students[n].domain)
		require.NoError(t, err, out)
		assert.Contains(t, out, "rcode 0")
		assert.Contains(t, out, "mx 10 mx."+students[n].domain, "MX of %s", n)
		_ = i
	}

	// Everyone mails everyone.
	sent := time.Now()
	for _, from := range names {
		for _, to := range names {
			if from != to {
				lab.send(students[from], from+"-to-"+to, students[to].account)
			}
		}
	}
	for _, to := range names {
		var want []string
		for _, from := range names {
			if from != to {
				want = append(want, from+"-to-"+to)
			}
		}
		out := lab.inbox(students[to], want...)
		assert.Equal(t, 2, strings.Count(out, "Subject: "), "each message once:\n%s", out)
		assert.Contains(t, out, "dmarc=pass")
		// The same mailbox over IMAP.
		imapOut, err := lab.py(students[to].ns, "imap", students[to].ip, strconv.Itoa(students[to].ports.IMAP), students[to].ca, students[to].account, students[to].password)
		require.NoError(t, err, imapOut)
		for _, s := range want {
			assert.Contains(t, imapOut, "Subject: "+s)
		}
	}
	allDelivered := time.Since(sent)

	// Mail to the internet bounces with the room's explanation.
	lab.send(students["anna"], "to-the-internet", "bob@example.net")
	dsn := lab.inbox(students["anna"], "Undelivered Mail Returned to Sender")
	assert.Contains(t, dsn, "Status: 5.7.1")
	assert.Contains(t, dsn, "only inside the room's zone room42.test")

	// A forged sender: the host machine claims to be anna at ben's MX.
	out, err := lab.py(hostNS, "forge", students["ben"].ip, strconv.Itoa(students["ben"].ports.SMTP), students["anna"].account, students["ben"].account)
	require.NoError(t, err, out)
	assert.Contains(t, out, "refused 550 5.7.1")
	assert.Contains(t, strings.ToLower(out), "dmarc")

	// Cleo's machine goes off without leaving: anna's queue keeps the
	// message and delivers it once cleo is back.
	students["cleo"].kill()
	lab.send(students["anna"], "while-you-were-out", students["cleo"].account)
	lab.waitOut(students["anna"].machine, regexp.MustCompile(`anna\.room42\.test → cleo\.room42\.test: deferred`), 1)
	students["cleo"] = lab.join("cleo", spaces["cleo"][0], spaces["cleo"][1])
	lab.inbox(students["cleo"], "while-you-were-out")

	// The host heard of every delivery: six, the one after the return,
	// the deferrals and the bounce.
	deliveredRE := regexp.MustCompile(`→ \S+: delivered \(2\.`)
	lab.waitOut(host, deliveredRE, 7)
	assert.GreaterOrEqual(t, host.out.count(regexp.MustCompile(`anna\.room42\.test → cleo\.room42\.test: deferred`)), 1)
	assert.Equal(t, 1, host.out.count(regexp.MustCompile(`anna\.room42\.test → example\.net: bounced \(5\.7\.1\)`)))
	mapOut, err := lab.py(spaces["ben"][0], "map", "http://"+hostIP+":"+strconv.Itoa(classroom.DefaultJoinPort)+"/map?code="+netnsCode)
	require.NoError(t, err, mapOut)
	var m classroom.Map
	require.NoError(t, json.Unmarshal([]byte(mapOut), &m))
	assert.Len(t, m.Providers, 3)
	delivered := 0
	for _, e := range m.Events {
		if e.Outcome == classroom.Delivered {
			delivered++
		}
	}
	assert.Equal(t, 7, delivered)

	// Ctrl-C: each student leaves, the host sees it.
	for _, n := range names {
		students[n].interrupt(t)
		assert.Contains(t, students[n].out.String(), "You left the room.")
	}
	lab.waitOut(host, regexp.MustCompile(`^- \S+ left the room`), 3)
	host.interrupt(t)
	t.Logf("room of 3 in namespaces: 6 mails delivered in %v; whole run %v", allDelivered.Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
}

// peakMemory is a process's peak resident set (VmHWM) in MiB.
func peakMemory(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// TestNetnsClassroomScale: 30 students, each sending 10 mails to
// classmates picked at random (a fixed seed): every mail arrives exactly
// once. It prints the time to deliver all, each process's peak memory
// and the host's event rate; none of them is asserted.
func TestNetnsClassroomScale(t *testing.T) {
	const students, perStudent = 30, 10
	lab := newNetLab(t, scaleBudget)
	hostNS, hostIP := lab.plug("host", 1)
	host := lab.start("host", hostNS, hostIP, "Room map", "classroom", "host", "--room", netnsRoom, "--bind", hostIP, "--code", netnsCode)
	var all []*student
	for i := range students {
		name := fmt.Sprintf("s%02d", i+1)
		ns, ip := lab.plug(name, i+2)
		all = append(all, lab.join(name, ns, ip))
	}
	lab.waitOut(host, regexp.MustCompile(`^\+ \S+ joined from `), students)

	rng := rand.New(rand.NewPCG(19, 30))
	want := map[string][]string{} // account → subjects it must get, once each
	plan := make([][]string, students)
	for i, s := range all {
		for k := range perStudent {
			j := rng.IntN(students - 1)
			if j >= i {
				j++ // a classmate, never oneself
			}
			to := all[j]
			plan[i] = append(plan[i], to.account)
			want[to.account] = append(want[to.account], fmt.Sprintf("Subject: %s-%d", s.name, k+1))
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, students)
	outs := make([]string, students)
	for i, s := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = lab.py(s.ns, append([]string{"sendmany", s.ip, strconv.Itoa(s.ports.Submission), s.ca, s.account, s.password, s.name}, plan[i]...)...)
		}()
	}
	wg.Wait()
	for i := range all {
		require.NoError(t, errs[i], outs[i])
		require.Contains(t, outs[i], fmt.Sprintf("sent %d", perStudent))
	}
	lab.waitOut(host, regexp.MustCompile(`→ \S+: delivered \(2\.`), students*perStudent)
	deliverAll := time.Since(start)

	for _, s := range all {
		out, err := lab.py(s.ns, "count", s.ip, strconv.Itoa(s.ports.POP3S), s.ca, s.account, s.password)
		require.NoError(t, err, out)
		var got []string
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "Subject: ") {
				got = append(got, strings.TrimSpace(l))
			}
		}
		assert.ElementsMatch(t, want[s.account], got, "%s: every mail exactly once", s.account)
	}

	mapOut, err := lab.py(all[0].ns, "map", "http://"+hostIP+":"+strconv.Itoa(classroom.DefaultJoinPort)+"/map?code="+netnsCode)
	require.NoError(t, err)
	var m classroom.Map
	require.NoError(t, json.Unmarshal([]byte(mapOut), &m))
	var times []time.Time
	for _, e := range m.Events {
		times = append(times, e.Time)
	}
	require.NotEmpty(t, times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	span := times[len(times)-1].Sub(times[0])

	mem := []float64{}
	for _, s := range all {
		mem = append(mem, peakMemory(s.cmd.Process.Pid))
	}
	slices.Sort(mem)
	hostMem := peakMemory(host.cmd.Process.Pid)
	rate := float64(len(m.Events)) / max(span.Seconds(), 0.001)
	t.Logf("scale: %d students × %d mails = %d mails delivered in %v (from the first submission to the host's last delivery event)",
		students, perStudent, students*perStudent, deliverAll.Round(time.Millisecond))
	t.Logf("scale: peak memory (VmHWM): host %.1f MiB; students median %.1f MiB, max %.1f MiB",
		hostMem, mem[len(mem)/2], mem[len(mem)-1])
	t.Logf("scale: host received %d events in %v: %.0f events/s", len(m.Events), span.Round(time.Millisecond), rate)

	for _, s := range all {
		s.interrupt(t)
	}
	lab.waitOut(host, regexp.MustCompile(`^- \S+ left the room`), students)
	host.interrupt(t)
}
