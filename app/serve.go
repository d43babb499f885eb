//go:build !(js && wasm)

package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// ServeEnv is what `maillab serve` reads and writes.
type ServeEnv struct {
	Stdout, Stderr io.Writer
	Signals        <-chan os.Signal
	Lang           string
	// Ready, when set, receives the URL once the server listens (tests).
	Ready chan<- string
}

type serveFlags struct {
	addr, bind string
	caFile     string
	portBase   int
	lang       string
}

func parseServeFlags(args []string, env ServeEnv) (serveFlags, bool) {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8025", "address of the web interface")
	fs.StringVar(&f.bind, "bind", "127.0.0.1", "address the mail servers listen on")
	fs.IntVar(&f.portBase, "port-base", 10000, "example.org at well-known port + base, example.net at + base + 10000")
	fs.StringVar(&f.lang, "lang", env.Lang, "language: en, de or pl")
	fs.StringVar(&f.caFile, "ca-file", filepath.Join(os.TempDir(), "maillab-ca.pem"), "where to write the CA certificate for external clients")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return f, false
	}
	if !i18n.Supported(f.lang) {
		f.lang = "en"
	}
	return f, f.portBase >= 1024 && f.portBase <= 45000
}

// Serve runs browser mode: the UI and the API over HTTP, plus the mail
// servers on the port map for external clients. It returns the exit code.
func Serve(args []string, static fs.FS, env ServeEnv) int {
	f, ok := parseServeFlags(args, env)
	if !ok {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "serve.usage", nil))
		return 2
	}
	t := func(k string, p map[string]string) string { return i18n.T(f.lang, k, p) }
	token := newToken()
	a := New(Options{World: world.Options{Bind: f.bind, PortBase: f.portBase}})
	defer a.Close()
	if err := a.WriteCA(f.caFile); err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if _, err := a.Start(scenario.LiveID); err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	l, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	url := "http://" + l.Addr().String() + "/"
	a.access.setServeURL(url) // the autoconfig and CA addresses the connect page offers
	fmt.Fprintln(env.Stdout, t("serve.control", map[string]string{"url": url + "?token=" + token}))
	fmt.Fprintln(env.Stdout, t("serve.viewers", map[string]string{"url": url}))
	fmt.Fprintln(env.Stdout, t("serve.mail-ports", map[string]string{"bind": f.bind,
		"org": fmt.Sprint(f.portBase), "net": fmt.Sprint(f.portBase + 10000)}))
	fmt.Fprintln(env.Stdout, t("cli.world.ca", map[string]string{"path": f.caFile}))
	srv := &http.Server{Handler: NewHTTP(a, static, token), ReadHeaderTimeout: 10 * time.Second}
	return serveUntilSignal(srv, l, url, env, t)
}

func serveUntilSignal(srv *http.Server, l net.Listener, url string, env ServeEnv, t func(string, map[string]string) string) int {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	if env.Ready != nil {
		env.Ready <- url
	}
	select {
	case <-env.Signals:
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
			return 1
		}
	}
	fmt.Fprintln(env.Stdout, t("cli.world.stopping", nil))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(ctx) // SSE streams end when their context does
	srv.Close()
	fmt.Fprintln(env.Stdout, t("cli.world.stopped", nil))
	return 0
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
