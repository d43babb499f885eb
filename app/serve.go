//go:build !(js && wasm)

package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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

// ServeOptions are browser mode's settings (the command line's serve flags).
type ServeOptions struct {
	Addr     string // the web interface, 127.0.0.1:8025
	Bind     string // where the mail servers listen, 127.0.0.1
	PortBase int
	CAFile   string
	Lang     string
	// AllowPlaintextAuth: 110, 143 and 587 take passwords before TLS.
	AllowPlaintextAuth bool
	// Limits, when set, puts the command line's server limits into the
	// world's options (cli.Limits.Apply).
	Limits func(*world.Options)
	// LimitsLine, when set, is printed at start: the limits in force.
	LimitsLine string
	// Spec, when set, is the world every run is built from (--world FILE).
	Spec *world.Spec
}

// Serve runs browser mode: the UI and the API over HTTP, plus the mail
// servers on the port map for external clients. It returns the exit code.
func Serve(f ServeOptions, static fs.FS, env ServeEnv) int {
	if !i18n.Supported(f.Lang) {
		f.Lang = "en"
	}
	t := func(k string, p map[string]string) string { return i18n.T(f.Lang, k, p) }
	token := newToken()
	wo := world.Options{Bind: f.Bind, PortBase: f.PortBase, Spec: f.Spec}
	if f.AllowPlaintextAuth {
		wo.AllowPlaintextAuth()
	}
	if f.Limits != nil {
		f.Limits(&wo)
	}
	a := New(Options{World: wo})
	defer a.Close()
	if err := os.MkdirAll(filepath.Dir(f.CAFile), 0o700); err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if err := a.WriteCA(f.CAFile); err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	if _, err := a.Start(scenario.LiveID); err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	l, err := net.Listen("tcp", f.Addr)
	if err != nil {
		fmt.Fprintln(env.Stderr, t("serve.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	url := "http://" + l.Addr().String() + "/"
	a.access.setServeURL(url) // the autoconfig and CA addresses the connect page offers
	fmt.Fprintln(env.Stdout, t("serve.control", map[string]string{"url": url + "?token=" + token}))
	fmt.Fprintln(env.Stdout, t("serve.viewers", map[string]string{"url": url}))
	fmt.Fprintln(env.Stdout, t("serve.mail-ports", map[string]string{"bind": f.Bind,
		"org": fmt.Sprint(f.PortBase), "net": fmt.Sprint(f.PortBase + 10000)}))
	if f.Spec != nil && f.Spec.HasThirdProvider() {
		fmt.Fprintln(env.Stdout, t("serve.mail-ports-third", map[string]string{"com": fmt.Sprint(f.PortBase + 20000)}))
	}
	fmt.Fprintln(env.Stdout, t("cli.world.ca", map[string]string{"path": f.CAFile}))
	if f.AllowPlaintextAuth {
		fmt.Fprintln(env.Stdout, t("cli.world.plaintext-auth", nil))
	}
	if f.LimitsLine != "" {
		fmt.Fprintln(env.Stdout, f.LimitsLine)
	}
	h := NewHTTP(a, static, token)
	h.Listening(l.Addr(), f.Addr)
	// No WriteTimeout: the event stream stays open as long as a viewer watches.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute}
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
