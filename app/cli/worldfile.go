package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"maillab/lessons/i18n"
	"maillab/simulator/worldspec"
)

// worldFileFlag adds --world FILE.
func worldFileFlag(fs *pflag.FlagSet, dst *string, lang string) {
	fs.StringVar(dst, "world", "", i18n.T(lang, "cli.flag.world", nil))
}

// loadWorldFile reads --world FILE and lays the limit flags the user
// typed over it (the ones left at their defaults keep the file's
// values). nil, true without a file; false after printing why the file
// cannot be used.
func loadWorldFile(path string, lim Limits, given func(flag string) bool, lang string, env Env) (*worldspec.Spec, bool) {
	if path == "" {
		return nil, true
	}
	s, err := worldspec.LoadFile(path)
	if err != nil {
		fmt.Fprintln(env.Stderr, i18n.T(lang, "cli.world-file.bad", map[string]string{"path": path, "err": err.Error()}))
		return nil, false
	}
	limitsOver(&s, lim, given)
	return &s, true
}

// limitsOver writes the limit flags that were given into s.
func limitsOver(s *worldspec.Spec, lim Limits, given func(flag string) bool) {
	l := &s.Limits
	if given("max-conns") {
		l.MaxConns = &lim.MaxConns
	}
	if given("max-conns-per-addr") {
		l.MaxConnsPerAddr = &lim.MaxConnsPerAddr
	}
	dur := func(flag string, dst **worldspec.Duration, v time.Duration) {
		if given(flag) {
			d := worldspec.Duration(v)
			*dst = &d
		}
	}
	dur("login-timeout", &l.LoginTimeout, lim.LoginTimeout)
	dur("stress-timeout", &l.StressTimeout, lim.StressTimeout)
	dur("session-timeout", &l.SessionTimeout, lim.SessionTimeout)
	dur("auth-failure-delay", &l.AuthFailureDelay, lim.AuthFailureDelay)
	if given("mailbox-quota") {
		q := worldspec.Size(lim.MailboxQuota)
		if q == 0 {
			q = worldspec.Unlimited // the flag's 0 is "no limit"
		}
		for i := range s.Providers {
			s.Providers[i].Policy.MailboxQuota = q
		}
	}
}

// LimitsOf are the limits a world spec sets, as the command line shows
// them: what it leaves out at the default. The quota is example.org's
// (the first provider's); QuotaDiffers says the providers differ.
func LimitsOf(s worldspec.Spec) Limits {
	l := DefaultLimits()
	if v := s.Limits.MaxConns; v != nil {
		l.MaxConns = *v
	}
	if v := s.Limits.MaxConnsPerAddr; v != nil {
		l.MaxConnsPerAddr = *v
	}
	if v := s.Limits.LoginTimeout; v != nil {
		l.LoginTimeout = time.Duration(*v)
	}
	if v := s.Limits.StressTimeout; v != nil {
		l.StressTimeout = time.Duration(*v)
	}
	if v := s.Limits.SessionTimeout; v != nil {
		l.SessionTimeout = time.Duration(*v)
	}
	if v := s.Limits.AuthFailureDelay; v != nil {
		l.AuthFailureDelay = time.Duration(*v)
	}
	for i, p := range s.Providers {
		q := int64(p.Policy.MailboxQuota)
		switch {
		case q == 0:
			q = DefaultLimits().MailboxQuota
		case q < 0:
			q = 0 // Limits: 0 is no limit
		}
		if i == 0 {
			l.MailboxQuota = q
		} else if q != l.MailboxQuota {
			l.QuotaDiffers = true
		}
	}
	return l
}

// saveWorldFile writes s to path ("-": standard output).
func saveWorldFile(path string, s worldspec.Spec, lang string, env Env) int {
	text, err := worldspec.Marshal(s)
	if err == nil && path == "-" {
		_, err = io.WriteString(env.Stdout, text)
	} else if err == nil {
		err = os.WriteFile(path, []byte(text), 0o644)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	if path != "-" {
		fmt.Fprintln(env.Stdout, i18n.T(lang, "cli.world.saved", map[string]string{"path": path}))
	}
	return 0
}
