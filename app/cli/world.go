package cli

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/world"
)

type worldFlags struct {
	bind     string
	portBase int
	caFile   string
	lang     string
	secrets  bool
	noAuth   bool
}

func parseWorldFlags(args []string, env Env) (worldFlags, bool) {
	var f worldFlags
	fs := newFlags("world", env)
	fs.StringVar(&f.bind, "bind", "127.0.0.1", "address to listen on (loopback unless you mean otherwise)")
	fs.IntVar(&f.portBase, "port-base", 10000, "example.org at well-known port + base, example.net at + base + 10000")
	fs.StringVar(&f.caFile, "ca-file", filepath.Join(os.TempDir(), "maillab-ca.pem"), "where to write the run's CA certificate")
	fs.StringVar(&f.lang, "lang", env.Lang, "language: en, de or pl")
	fs.BoolVar(&f.secrets, "show-secrets", false, "print passwords and AUTH lines as sent")
	fs.BoolVar(&f.noAuth, "no-auth-checks", false, "accept mail at the MX without SPF, DKIM and DMARC checks")
	if err := fs.Parse(args); err != nil {
		return f, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.unknown-command", map[string]string{"cmd": fs.Arg(0)}))
		return f, false
	}
	if f.portBase < 1024 || f.portBase > 45000 {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.bad-port-base", map[string]string{"value": strconv.Itoa(f.portBase)}))
		return f, false
	}
	return f, checkLang(f.lang, env)
}

func runWorld(args []string, env Env) int {
	f, ok := parseWorldFlags(args, env)
	if !ok {
		return 2
	}
	t := func(key string, p map[string]string) string { return i18n.T(f.lang, key, p) }
	fmt.Fprintln(env.Stdout, t("cli.world.starting", nil))
	w, err := startWorld(f)
	if err != nil {
		fmt.Fprintln(env.Stderr, t("cli.world.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if err := w.CA.WriteFile(f.caFile); err != nil {
		w.Close()
		fmt.Fprintln(env.Stderr, t("cli.world.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	printWorld(env, f, w, t)
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

func startWorld(f worldFlags) (*world.World, error) {
	return world.Start(world.Options{Bind: f.bind, PortBase: f.portBase, AutoQueue: true,
		NoAuthChecks: f.noAuth})
}

func printWorld(env Env, f worldFlags, w *world.World, t func(string, map[string]string) string) {
	if ip := net.ParseIP(f.bind); ip == nil || !ip.IsLoopback() {
		fmt.Fprintln(env.Stdout, t("cli.world.not-loopback", map[string]string{"bind": f.bind}))
	}
	fmt.Fprintln(env.Stdout, t("cli.world.ports", nil))
	for _, e := range w.Dir.Entries() {
		fmt.Fprintln(env.Stdout, t("cli.world.port-row", map[string]string{"host": e.Host,
			"service": serviceName(e.Port), "port": strconv.Itoa(e.Port), "addr": e.Addr}))
	}
	fmt.Fprintln(env.Stdout, t("cli.world.accounts", nil))
	for _, a := range world.Accounts {
		fmt.Fprintln(env.Stdout, t("cli.world.account-row", map[string]string{"address": a.Address, "password": a.Password}))
	}
	fmt.Fprintln(env.Stdout, t("cli.world.ca", map[string]string{"path": f.caFile}))
	fmt.Fprintln(env.Stdout, t("cli.world.try", map[string]string{"smtp": strconv.Itoa(f.portBase + 587), "ca": f.caFile}))
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
		for ev := range ch {
			printLive(env, ev, secrets)
		}
	}()
	return func() {
		cancel()
		close(ch)
		<-done
	}
}

func printLive(env Env, ev event.Event, secrets bool) {
	if !secrets {
		ev = ev.Redacted()
	}
	client := ev.Client
	if client == "" {
		client = netmap.External
	}
	lock := ""
	if ev.Encrypted {
		lock = "[TLS] "
	}
	fmt.Fprintf(env.Stdout, "#%-4d %s -> %s %s/%d  %s: %s%s\n", ev.Conn, client, ev.Server, ev.Proto, ev.Port,
		ev.Dir, lock, ev.Text)
}
