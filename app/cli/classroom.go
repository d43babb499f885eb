package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"maillab/lessons/challenge"
	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
	"maillab/simulator/classroom"
	"maillab/simulator/mta"
	"maillab/simulator/world"
)

// The classroom commands: every student's Maillab becomes a mail
// provider of the room, the teacher's hosts the room's DNS, CA and join
// service. The protocol is in simulator/classroom; this only reads
// flags and prints.

func newClassroomCmd(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "classroom",
		Short: i18n.T(env.Lang, "cli.cmd.classroom", nil),
		Args:  noArgs(env),
		RunE: func(c *cobra.Command, _ []string) error {
			c.SetOut(env.Stdout)
			return c.Help()
		},
	}
	cmd.AddCommand(newClassroomHostCmd(env), newClassroomJoinCmd(env))
	return cmd
}

type hostFlags struct {
	room, bind, code, lang string
	challenge              string // a shipped challenge's id or a challenge file
	joinPort, dnsPort      int
	portOffset             int
	wellKnown              bool
}

func newClassroomHostCmd(env Env) *cobra.Command {
	var f hostFlags
	cmd := &cobra.Command{
		Use:   "host",
		Short: i18n.T(env.Lang, "cli.cmd.classroom-host", nil),
		Args:  noArgs(env),
		RunE:  func(*cobra.Command, []string) error { return exit(runClassroomHost(f, env)) },
	}
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	fs := cmd.Flags()
	fs.StringVar(&f.room, "room", "room", t("cli.flag.room"))
	fs.StringVar(&f.bind, "bind", "", t("cli.flag.classroom-bind"))
	fs.StringVar(&f.code, "code", "", t("cli.flag.room-code"))
	fs.IntVar(&f.joinPort, "join-port", classroom.DefaultJoinPort, t("cli.flag.join-port"))
	fs.IntVar(&f.dnsPort, "dns-port", 0, t("cli.flag.dns-port"))
	fs.IntVar(&f.portOffset, "port-offset", classroom.DefaultPortOffset, t("cli.flag.port-offset"))
	fs.BoolVar(&f.wellKnown, "well-known-ports", false, t("cli.flag.well-known-ports"))
	fs.StringVar(&f.challenge, "challenge", "", t("cli.flag.room-challenge"))
	langFlag(cmd, &f.lang, env)
	return cmd
}

func runClassroomHost(f hostFlags, env Env) int {
	if !checkLang(f.lang, env) {
		return 2
	}
	t := func(key string, p map[string]string) string { return i18n.T(f.lang, key, p) }
	if !f.wellKnown && (f.portOffset < 1024 || f.portOffset > 64000) {
		fmt.Fprintln(env.Stderr, t("cli.classroom.bad-offset", map[string]string{"value": strconv.Itoa(f.portOffset)}))
		return 2
	}
	var handOut struct{ id, file, title string }
	if f.challenge != "" {
		var err error
		if handOut.id, handOut.file, handOut.title, err = readRoomChallenge(f.challenge, f.lang); err != nil {
			fmt.Fprintln(env.Stderr, t("cli.classroom.bad-challenge", map[string]string{"challenge": f.challenge, "err": err.Error()}))
			return 2
		}
	}
	if f.bind == "" {
		addr, err := classroom.LANAddress()
		if err != nil {
			fmt.Fprintln(env.Stderr, t("cli.classroom.no-lan", nil))
			return 1
		}
		f.bind = addr
	}
	var out sync.Mutex
	say := func(s string) {
		out.Lock()
		defer out.Unlock()
		fmt.Fprintln(env.Stdout, s)
	}
	tally := &solvedTally{}
	h, err := classroom.StartHost(classroom.HostOptions{Room: f.room, Bind: f.bind, Code: f.code, JoinPort: f.joinPort,
		DNSPort: f.dnsPort, PortOffset: f.portOffset, WellKnownPorts: f.wellKnown,
		Watch: func(c classroom.Change) { say(tally.describe(c, t)) }})
	if err != nil {
		fmt.Fprintln(env.Stderr, t("cli.classroom.host-failed", map[string]string{"err": err.Error()}))
		return 1
	}
	say(t("cli.classroom.host-open", map[string]string{"room": f.room, "zone": h.Zone()}))
	say(t("cli.world.not-loopback", map[string]string{"bind": f.bind}))
	say(t("cli.classroom.code", map[string]string{"code": h.Code()}))
	say(t("cli.classroom.join-with", map[string]string{"addr": h.JoinAddress(), "code": h.Code()}))
	say(t("cli.classroom.dns", map[string]string{"addr": h.DNSAddress()}))
	say(portsLine(h.Ports(), t))
	say(t("cli.classroom.map", map[string]string{"url": "http://" + h.JoinAddress() + "/map?code=" + h.Code()}))
	if m, err := h.QR(); err == nil {
		say(t("cli.classroom.qr", map[string]string{"link": h.JoinLink()}))
		say(qrBlocks(m))
	}
	if f.challenge != "" {
		if _, err := h.HandOut(handOut.id, handOut.file, handOut.title); err != nil {
			fmt.Fprintln(env.Stderr, t("cli.classroom.bad-challenge", map[string]string{"challenge": f.challenge, "err": err.Error()}))
		}
	}
	if env.Signals != nil {
		<-env.Signals
	}
	say(t("cli.classroom.closing", nil))
	h.Close()
	say(t("cli.world.stopped", nil))
	return 0
}

// qrBlocks draws a QR code for a terminal: two modules a character with
// Unicode half blocks, black on white whatever the terminal's colours
// (ANSI), with the quiet zone of four modules a phone camera needs.
func qrBlocks(m classroom.QR) string {
	const quiet = 4
	n := len(m) + 2*quiet
	dark := func(y, x int) bool {
		y, x = y-quiet, x-quiet
		return y >= 0 && x >= 0 && y < len(m) && x < len(m) && m[y][x]
	}
	var b strings.Builder
	for y := 0; y < n; y += 2 {
		b.WriteString("\x1b[30;107m") // black on bright white
		for x := range n {
			switch top, bottom := dark(y, x), dark(y+1, x); {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString("\x1b[0m")
		if y+2 < n {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func portsLine(p classroom.Ports, t func(string, map[string]string) string) string {
	return t("cli.classroom.ports", map[string]string{"offset": strconv.Itoa(p.Offset), "smtp": strconv.Itoa(p.SMTP),
		"submission": strconv.Itoa(p.Submission), "submissions": strconv.Itoa(p.Submissions), "pop3": strconv.Itoa(p.POP3),
		"pop3s": strconv.Itoa(p.POP3S), "imap": strconv.Itoa(p.IMAP), "imaps": strconv.Itoa(p.IMAPS)})
}

func describeChange(c classroom.Change, t func(string, map[string]string) string) string {
	switch c.Kind {
	case classroom.Joined:
		return t("cli.classroom.joined", map[string]string{"domain": c.Provider.Domain, "addr": c.Provider.Address})
	case classroom.Left:
		return t("cli.classroom.left", map[string]string{"domain": c.Provider.Domain})
	case classroom.Silent:
		return t("cli.classroom.silent", map[string]string{"domain": c.Provider.Domain,
			"seconds": strconv.Itoa(int(classroom.MissedBeats * classroom.DefaultHeartbeat / time.Second))})
	case classroom.Back:
		return t("cli.classroom.back", map[string]string{"domain": c.Provider.Domain})
	}
	return describeEvent(*c.Event, t)
}

// readRoomChallenge is what --challenge names: a shipped challenge's id,
// or a challenge file (maillab-challenge: 1) to read and check.
func readRoomChallenge(arg, lang string) (id, file, title string, err error) {
	if c, ok := challenge.ByID(arg); ok {
		return c.ID, "", c.Title(lang), nil
	}
	fh, err := os.Open(arg)
	if err != nil {
		return "", "", "", err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, classroom.MaxChallengeBytes+1))
	if err != nil {
		return "", "", "", err
	}
	if len(b) > classroom.MaxChallengeBytes {
		return "", "", "", fmt.Errorf("a challenge file handed out to the room may have at most %d KiB", classroom.MaxChallengeBytes>>10)
	}
	c, err := challenge.Resolve("", string(b))
	if err != nil {
		return "", "", "", err
	}
	return "", string(b), c.Title(lang), nil
}

// solvedTally counts who is in the room and who solved its challenge, from
// the host's changes (one at a time, in order), for "N of M solved".
type solvedTally struct {
	online, solved map[string]bool
}

func (s *solvedTally) describe(c classroom.Change, t func(string, map[string]string) string) string {
	if s.online == nil {
		s.online, s.solved = map[string]bool{}, map[string]bool{}
	}
	switch c.Kind {
	case classroom.Joined:
		s.online[c.Provider.Domain] = true
	case classroom.Left:
		delete(s.online, c.Provider.Domain)
	case classroom.HandedOut:
		clear(s.solved)
		return t("cli.classroom.challenge-out", map[string]string{"title": c.Challenge.Title})
	case classroom.Withdrawn:
		clear(s.solved)
		return t("cli.classroom.challenge-withdrawn", nil)
	case classroom.Solved:
		s.solved[c.Provider.Domain] = true
		n := 0
		for d := range s.solved {
			if s.online[d] {
				n++
			}
		}
		return t("cli.classroom.solved", map[string]string{"domain": c.Provider.Domain,
			"count": t("ui.room.solved-count", map[string]string{"n": strconv.Itoa(n), "m": strconv.Itoa(len(s.online))})})
	}
	return describeChange(c, t)
}

// challengeLines are the room's challenge as a student's command line
// prints it: its title, task and checks, and where to solve it.
func challengeLines(c classroom.Challenge, lang string) []string {
	t := func(key string, p map[string]string) string { return i18n.T(lang, key, p) }
	if c.None() {
		return []string{t("cli.classroom.challenge-withdrawn", nil)}
	}
	ch, err := challenge.Resolve(c.ID, c.File)
	if err != nil {
		return []string{t("cli.classroom.challenge-unknown", map[string]string{"err": err.Error()})}
	}
	out := []string{t("cli.classroom.challenge-is", map[string]string{"title": ch.Title(lang)}), ch.Task(lang),
		t("cli.classroom.challenge-checks", nil)}
	for _, f := range sim.Check(nil, ch.Goal).Facts {
		out = append(out, "  - "+challenge.FactText(lang, f))
	}
	return append(out, t("cli.classroom.challenge-how", nil))
}

func describeEvent(e classroom.Event, t func(string, map[string]string) string) string {
	return t("cli.classroom.event", map[string]string{"time": e.Time.Format("15:04:05"), "from": e.From, "to": e.To,
		"outcome": t("cli.classroom.outcome."+e.Outcome, nil), "status": e.Status})
}

type joinFlags struct {
	code, name, bind, password, caFile, lang string
	retry                                    time.Duration
}

func newClassroomJoinCmd(env Env) *cobra.Command {
	var f joinFlags
	cmd := &cobra.Command{
		Use:   "join ADDRESS",
		Short: i18n.T(env.Lang, "cli.cmd.classroom-join", nil),
		Args:  cobra.ExactArgs(1),
		RunE:  func(_ *cobra.Command, args []string) error { return exit(runClassroomJoin(args[0], f, env)) },
	}
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	fs := cmd.Flags()
	fs.StringVar(&f.code, "code", "", t("cli.flag.room-code"))
	fs.StringVar(&f.name, "name", "", t("cli.flag.student-name"))
	fs.StringVar(&f.bind, "bind", "", t("cli.flag.join-bind"))
	fs.StringVar(&f.password, "password", "", t("cli.flag.student-password"))
	fs.DurationVar(&f.retry, "retry", 0, t("cli.flag.retry"))
	fs.StringVar(&f.caFile, "ca-file", filepath.Join(filepath.Dir(DefaultCAFile()), "classroom-ca.pem"), t("cli.flag.classroom-ca-file"))
	langFlag(cmd, &f.lang, env)
	cmd.MarkFlagRequired("code")
	cmd.MarkFlagRequired("name")
	return cmd
}

func runClassroomJoin(addr string, f joinFlags, env Env) int {
	if !checkLang(f.lang, env) {
		return 2
	}
	t := func(key string, p map[string]string) string { return i18n.T(f.lang, key, p) }
	if err := classroom.CheckName("student", f.name); err != nil {
		fmt.Fprintln(env.Stderr, t("cli.classroom.bad-name", map[string]string{"name": f.name}))
		return 2
	}
	if f.retry < 0 || f.retry > 0 && f.retry < time.Second {
		fmt.Fprintln(env.Stderr, t("cli.classroom.bad-retry", map[string]string{"value": f.retry.String()}))
		return 2
	}
	var retry mta.Retry
	if f.retry > 0 {
		// One interval, again and again, for up to the usual five days.
		retry = mta.Retry{Delays: []time.Duration{f.retry}, MaxAttempts: int(5 * 24 * time.Hour / f.retry)}
	}
	var out sync.Mutex
	say := func(s string) {
		out.Lock()
		defer out.Unlock()
		fmt.Fprintln(env.Stdout, s)
	}
	say(t("cli.classroom.joining", map[string]string{"addr": addr, "name": f.name}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := classroom.Enrol(ctx, classroom.JoinOptions{Host: addr, Code: f.code, Name: f.name, Bind: f.bind,
		Password: f.password, Retry: retry, Watch: func(e classroom.Event) { say(describeEvent(e, t)) },
		OnChallenge: func(c classroom.Challenge) {
			for _, l := range challengeLines(c, f.lang) {
				say(l)
			}
		}})
	if err != nil {
		fmt.Fprintln(env.Stderr, joinRefusal(err, t))
		return 1
	}
	// The provider runs in a world, as in the app: every connection is
	// tapped, and the transcript below is the one the app shows.
	w, err := world.Start(world.Options{Room: s.Room(), AutoQueue: true})
	if err == nil {
		if err = s.Ready(ctx, w.RoomQueue()); err != nil {
			w.Close()
		}
	}
	if err != nil {
		s.Leave(ctx)
		fmt.Fprintln(env.Stderr, joinRefusal(err, t))
		return 1
	}
	defer w.Close()
	if err := os.MkdirAll(filepath.Dir(f.caFile), 0o700); err == nil {
		err = writeFileAtomic(f.caFile, []byte(s.CA))
		if err == nil {
			say(t("cli.classroom.ca", map[string]string{"path": f.caFile}))
		}
	}
	say(t("cli.world.not-loopback", map[string]string{"bind": s.Bind}))
	say(t("cli.classroom.you-are", map[string]string{"domain": s.Domain, "zone": s.Zone}))
	say(t("cli.world.account-row", map[string]string{"address": s.Account, "password": s.Password}))
	say(t("cli.classroom.servers-on", map[string]string{"addr": s.Bind}))
	say(portsLine(s.Ports, t))
	say(t("cli.classroom.dns", map[string]string{"addr": s.DNS}))
	say(t("cli.classroom.try", map[string]string{"addr": s.Bind, "port": strconv.Itoa(s.Ports.Submission), "ca": f.caFile,
		"account": s.Account, "password": s.Password, "zone": s.Zone}))
	say(t("cli.classroom.running", nil))
	if c := s.Challenge(); !c.None() {
		for _, l := range challengeLines(c, f.lang) {
			say(l)
		}
	}
	say(t("cli.world.traffic", nil))
	// The transcript and the messages above share stdout, one write at a time.
	tenv := env
	tenv.Stdout = &lockedWriter{mu: &out, w: env.Stdout}
	stop := streamLines(tenv, w, false)
	if env.Signals != nil {
		<-env.Signals
	}
	say(t("cli.classroom.leaving", nil))
	w.Close()
	stop()
	lctx, lcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer lcancel()
	if err := s.Leave(lctx); err != nil {
		fmt.Fprintln(env.Stderr, t("cli.classroom.leave-failed", map[string]string{"err": err.Error()}))
	}
	say(t("cli.classroom.left-room", nil))
	return 0
}

// lockedWriter writes under a mutex the caller shares.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// joinRefusal says why joining failed, in the user's language where the
// host's reason is one the student can act on.
func joinRefusal(err error, t func(string, map[string]string) string) string {
	var je *classroom.JoinError
	if errors.As(err, &je) {
		switch je.Reason {
		case "wrong-code", "name-taken", "address-taken", "locked", "address-mismatch":
			return t("cli.classroom.refused."+je.Reason, nil)
		}
	}
	return t("cli.classroom.join-failed", map[string]string{"err": err.Error()})
}

// writeFileAtomic writes a public file (a CA certificate) by renaming a
// new file of its own over path: a planted symlink is replaced, not
// followed.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".maillab-*.pem")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
