package cli

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

type worldFlags struct {
	bind     string
	portBase int
	caFile   string
	lang     string
	secrets  bool
	noAuth   bool
	// plainAuth: every provider takes passwords before TLS (telnet).
	plainAuth bool
	// third: run example.com too (--third-provider).
	third  bool
	limits limitFlags
	// worldFile is --world FILE; saveWorld is --save-world FILE ("-":
	// standard output), which writes the world and starts nothing.
	worldFile, saveWorld string
	given                func(flag string) bool // the flags typed on the command line
}

func newWorldCmd(env Env) *cobra.Command {
	var f worldFlags
	cmd := &cobra.Command{
		Use:   "world",
		Short: i18n.T(env.Lang, "cli.cmd.world", nil),
		Args:  noArgs(env),
		RunE:  func(*cobra.Command, []string) error { return exit(runWorld(f, env)) },
	}
	fs := cmd.Flags()
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	fs.StringVar(&f.bind, "bind", "127.0.0.1", t("cli.flag.bind"))
	fs.IntVar(&f.portBase, "port-base", 10000, t("cli.flag.port-base"))
	fs.StringVar(&f.caFile, "ca-file", DefaultCAFile(), t("cli.flag.ca-file"))
	langFlag(cmd, &f.lang, env)
	fs.BoolVar(&f.secrets, "show-secrets", false, t("cli.flag.show-secrets"))
	fs.BoolVar(&f.noAuth, "no-auth-checks", false, t("cli.flag.no-auth-checks"))
	fs.BoolVar(&f.plainAuth, "allow-plaintext-auth", false, t("cli.flag.allow-plaintext-auth"))
	fs.BoolVar(&f.third, "third-provider", false, t("cli.flag.third-provider"))
	addLimitFlags(fs, &f.limits, env.Lang)
	worldFileFlag(fs, &f.worldFile, env.Lang)
	fs.StringVar(&f.saveWorld, "save-world", "", t("cli.flag.save-world"))
	f.given = func(flag string) bool { return fs.Changed(flag) }
	return cmd
}

func runWorld(f worldFlags, env Env) int {
	if !CheckPortBase(f.portBase, env) || !checkLang(f.lang, env) {
		return 2
	}
	lim, err := f.limits.parse(f.lang)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 2
	}
	spec, ok := loadWorldFile(f.worldFile, lim, f.given, f.lang, env)
	if !ok {
		return 2
	}
	if f.saveWorld != "" {
		return saveWorldFile(f.saveWorld, worldOptions(f, lim, spec).EffectiveSpec(), f.lang, env)
	}
	if !checkThirdPortBase(f.portBase, worldOptions(f, lim, spec).EffectiveSpec(), f.lang, env) {
		return 2
	}
	t := func(key string, p map[string]string) string { return i18n.T(f.lang, key, p) }
	fmt.Fprintln(env.Stdout, t("cli.world.starting", nil))
	w, err := world.Start(worldOptions(f, lim, spec))
	if err != nil {
		fmt.Fprintln(env.Stderr, t("cli.world.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if err := os.MkdirAll(filepath.Dir(f.caFile), 0o700); err != nil {
		w.Close()
		fmt.Fprintln(env.Stderr, t("cli.world.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if err := w.CA.WriteFile(f.caFile); err != nil {
		w.Close()
		fmt.Fprintln(env.Stderr, t("cli.world.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	printWorld(env, f, lim, w, t)
	stop := streamLines(env, w, f.secrets)
	if env.Signals != nil {
		<-env.Signals
	}
	fmt.Fprintln(env.Stdout, t("cli.world.stopping", nil))
	err = w.Close()
	stop()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
	}
	fmt.Fprintln(env.Stdout, t("cli.world.stopped", nil))
	return 0
}

// CheckPortBase says why a port base cannot work: both providers need
// their ports (base + 10000 + 995 at most) below 65536.
func CheckPortBase(base int, env Env) bool {
	if base >= 1024 && base <= 45000 {
		return true
	}
	fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.bad-port-base", map[string]string{"value": strconv.Itoa(base)}))
	return false
}

// checkThirdPortBase says why a port base cannot work for a world with
// the third provider, whose ports are 20000 above it.
func checkThirdPortBase(base int, s worldspec.Spec, lang string, env Env) bool {
	if !s.HasThirdProvider() || base <= world.MaxPortBase(true) {
		return true
	}
	fmt.Fprintln(env.Stderr, i18n.T(lang, "cli.bad-port-base-third", map[string]string{"value": strconv.Itoa(base),
		"max": strconv.Itoa(world.MaxPortBase(true))}))
	return false
}

// worldOptions: the world file (if any, with the limit flags given laid
// over it), else the limit flags; the switches apply to either.
func worldOptions(f worldFlags, lim Limits, spec *worldspec.Spec) world.Options {
	opts := world.Options{Bind: f.bind, PortBase: f.portBase, AutoQueue: true, NoAuthChecks: f.noAuth, Spec: spec,
		ThirdProvider: f.third}
	if spec == nil {
		lim.Apply(&opts)
	}
	if f.plainAuth {
		opts.AllowPlaintextAuth()
	}
	return opts
}

func printWorld(env Env, f worldFlags, lim Limits, w *world.World, t func(string, map[string]string) string) {
	if ip := net.ParseIP(f.bind); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(env.Stdout, t("cli.world.not-loopback", map[string]string{"bind": f.bind}))
	}
	if f.plainAuth {
		fmt.Fprintln(env.Stdout, t("cli.world.plaintext-auth", nil))
	}
	fmt.Fprintln(env.Stdout, t("cli.world.ports", nil))
	for _, e := range w.Dir.Entries() {
		fmt.Fprintln(env.Stdout, t("cli.world.port-row", map[string]string{"host": e.Host,
			"service": serviceName(e.Port), "port": strconv.Itoa(e.Port), "addr": e.Addr}))
	}
	spec := w.Spec()
	if f.worldFile != "" {
		fmt.Fprintln(env.Stdout, t("cli.world.file", map[string]string{"path": f.worldFile}))
		lim = LimitsOf(spec)
	}
	fmt.Fprintln(env.Stdout, t("cli.world.accounts", nil))
	for _, p := range spec.Providers {
		for _, a := range p.Accounts {
			fmt.Fprintln(env.Stdout, t("cli.world.account-row", map[string]string{"address": a.Address, "password": a.Password}))
		}
	}
	fmt.Fprintln(env.Stdout, t("cli.world.ca", map[string]string{"path": f.caFile}))
	fmt.Fprintln(env.Stdout, t("cli.world.try", map[string]string{"smtp": strconv.Itoa(f.portBase + 587), "ca": f.caFile}))
	fmt.Fprintln(env.Stdout, lim.Describe(f.lang))
	fmt.Fprintln(env.Stdout, t("cli.world.ready", nil))
	fmt.Fprintln(env.Stdout, t("cli.world.traffic", nil))
}

func serviceName(port int) string {
	for _, s := range []netmap.Service{netmap.SMTP, netmap.Submission, netmap.Submissions, netmap.POP3,
		netmap.POP3S, netmap.IMAP, netmap.IMAPS, netmap.LMTP, netmap.DNS} {
		if s.Port == port {
			return s.Name
		}
	}
	return ""
}

// streamLines prints every line as it is logged. The conductor calls
// subscribers under its lock, so lines go through a buffer to a printer.
func streamLines(env Env, w *world.World, secrets bool) (stop func()) {
	ch := make(chan event.Event, 8192)
	done := make(chan struct{})
	cancel := w.Conductor.Subscribe(func(ev event.Event) {
		if ev.Kind != event.KindLine && ev.Kind != event.KindPacket {
			return
		}
		select {
		case ch <- ev:
		default: // a flood: drop rather than stall the servers
		}
	})
	go func() {
		defer close(done)
		// One write per burst, not per line: under load the lines come in
		// thousands per second, and a write per line cost a tenth of the
		// mail path's CPU. What waits is written within flushEvery.
		out := bufio.NewWriterSize(env.Stdout, 64<<10)
		defer out.Flush()
		tick := time.NewTicker(flushEvery)
		defer tick.Stop()
		var line []byte
		for {
			select {
			case ev, ok := <-ch:
				if !ok {
					return
				}
				line = appendLive(line[:0], ev, secrets)
				out.Write(line)
			case <-tick.C:
				if out.Buffered() > 0 {
					out.Flush()
				}
			}
		}
	}()
	return func() {
		cancel()
		close(ch)
		<-done
	}
}

// flushEvery bounds how long a printed line waits in the buffer: well
// below what a person at the terminal notices.
const flushEvery = 20 * time.Millisecond

// appendLive is one line of the live transcript:
// "#12   alice-laptop -> smtp.example.org SMTP/587  C: [TLS] EHLO …".
func appendLive(b []byte, ev event.Event, secrets bool) []byte {
	if !secrets {
		ev = ev.Redacted()
	}
	client := ev.Client
	if client == "" {
		client = netmap.External
	}
	b = append(b, '#')
	n := len(b)
	b = strconv.AppendUint(b, uint64(ev.Conn), 10)
	for len(b)-n < 4 {
		b = append(b, ' ')
	}
	b = append(b, ' ')
	b = append(b, client...)
	b = append(b, " -> "...)
	b = append(b, ev.Server...)
	b = append(b, ' ')
	b = append(b, ev.Proto...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(ev.Port), 10)
	b = append(b, "  "...)
	b = append(b, ev.Dir...)
	b = append(b, ": "...)
	if ev.Encrypted {
		b = append(b, "[TLS] "...)
	}
	b = append(b, ev.Text...)
	return append(b, '\n')
}
