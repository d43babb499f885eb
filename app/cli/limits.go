package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"maillab/lessons/i18n"
	"maillab/simulator/limits"
	"maillab/simulator/store"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// Limits are the servers' limits as the command line means them: every
// value is what it says (0 session timeout: each protocol's own; 0 pause:
// none; 0 quota: no limit). Apply turns them into world.Options, whose
// zeros mean "default".
type Limits struct {
	MaxConns, MaxConnsPerAddr int
	LoginTimeout              time.Duration
	StressTimeout             time.Duration // replaces LoginTimeout on a server over 80% full
	SessionTimeout            time.Duration
	AuthFailureDelay          time.Duration
	MailboxQuota              int64 // octets; 0: no limit
	// QuotaDiffers: a world file gives the providers different quotas.
	QuotaDiffers bool
}

// DefaultLimits are the world's defaults, shown as the flags' defaults.
func DefaultLimits() Limits {
	return Limits{MaxConns: limits.DefaultMaxConns, MaxConnsPerAddr: limits.DefaultPerAddr,
		LoginTimeout: limits.DefaultLoginTimeout, StressTimeout: limits.DefaultStressTimeout,
		AuthFailureDelay: world.DefaultAuthFailureDelay,
		MailboxQuota:     store.DefaultQuota}
}

// Apply sets o's limit fields.
func (l Limits) Apply(o *world.Options) {
	o.MaxConns, o.MaxConnsPerAddr = l.MaxConns, l.MaxConnsPerAddr
	o.LoginTimeout, o.StressTimeout, o.SessionTimeout = l.LoginTimeout, l.StressTimeout, l.SessionTimeout
	o.AuthFailureDelay = l.AuthFailureDelay
	if l.AuthFailureDelay == 0 {
		o.AuthFailureDelay = -1 // world: negative is no pause
	}
	o.MailboxQuota = l.MailboxQuota
	if l.MailboxQuota == 0 {
		o.MailboxQuota = -1 // world: negative is no limit
	}
}

// limitFlags holds the limit flags as typed; parse checks them, so a bad
// value gets one sentence in the user's language naming the flag.
type limitFlags struct {
	maxConns, perAddr, login, stress, session, delay, quota rawFlag
}

// rawFlag keeps a flag's text for parse; typ is what --help shows.
type rawFlag struct{ val, typ string }

func (r *rawFlag) String() string     { return r.val }
func (r *rawFlag) Set(s string) error { r.val = s; return nil }
func (r *rawFlag) Type() string       { return r.typ }

// addLimitFlags adds --max-conns … --mailbox-quota to fs.
func addLimitFlags(fs *pflag.FlagSet, lf *limitFlags, lang string) {
	d := DefaultLimits()
	t := func(key string) string { return i18n.T(lang, key, nil) }
	add := func(r *rawFlag, name, typ, def string) {
		*r = rawFlag{val: def, typ: typ}
		fs.Var(r, name, t("cli.flag."+name))
	}
	add(&lf.maxConns, "max-conns", "N", strconv.Itoa(d.MaxConns))
	add(&lf.perAddr, "max-conns-per-addr", "N", strconv.Itoa(d.MaxConnsPerAddr))
	add(&lf.login, "login-timeout", "duration", shortDuration(d.LoginTimeout))
	add(&lf.stress, "stress-timeout", "duration", shortDuration(d.StressTimeout))
	add(&lf.session, "session-timeout", "duration", "0s")
	add(&lf.delay, "auth-failure-delay", "duration", shortDuration(d.AuthFailureDelay))
	add(&lf.quota, "mailbox-quota", "size", "50MiB")
}

// parse checks every limit flag; the error is the sentence to print.
func (lf limitFlags) parse(lang string) (Limits, error) {
	var l Limits
	bad := func(key, flag, val string) error {
		return fmt.Errorf("%s", i18n.T(lang, key, map[string]string{"flag": "--" + flag, "value": val}))
	}
	count := func(r rawFlag, name string, dst *int) error {
		n, err := strconv.Atoi(strings.TrimSpace(r.val))
		if err != nil || n < 1 {
			return bad("cli.bad-count", name, r.val)
		}
		*dst = n
		return nil
	}
	dur := func(r rawFlag, name string, dst *time.Duration, zeroOK bool) error {
		s := strings.TrimSpace(r.val)
		if s == "0" {
			s = "0s"
		}
		v, err := time.ParseDuration(s)
		switch {
		case err != nil || v < 0:
		case v == 0 && !zeroOK:
		default:
			*dst = v
			return nil
		}
		if zeroOK {
			return bad("cli.bad-duration", name, r.val)
		}
		return bad("cli.bad-timeout", name, r.val)
	}
	for _, err := range []error{
		count(lf.maxConns, "max-conns", &l.MaxConns),
		count(lf.perAddr, "max-conns-per-addr", &l.MaxConnsPerAddr),
		dur(lf.login, "login-timeout", &l.LoginTimeout, false),
		dur(lf.stress, "stress-timeout", &l.StressTimeout, false),
		dur(lf.session, "session-timeout", &l.SessionTimeout, true),
		dur(lf.delay, "auth-failure-delay", &l.AuthFailureDelay, true),
	} {
		if err != nil {
			return Limits{}, err
		}
	}
	q, ok := ParseSize(lf.quota.val)
	if !ok {
		return Limits{}, bad("cli.bad-size", "mailbox-quota", lf.quota.val)
	}
	l.MailboxQuota = q
	return l, nil
}

// ParseSize reads a size in octets: 1048576, 512KiB, 50MiB, 10MB, 1GB
// (KiB/MiB/GiB and K/M/G are powers of 1024, KB/MB/GB of 1000; case does
// not matter). Negative sizes and sizes over 1 TiB are refused. World
// files read sizes the same way.
func ParseSize(s string) (int64, bool) { return worldspec.ParseSize(s) }

// FormatSize writes octets the way ParseSize reads them, in the largest
// binary unit that divides them.
func FormatSize(n int64) string { return worldspec.FormatSize(n) }

// shortDuration is d without the trailing zero units: 1m, not 1m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Describe is the one line `world` and `serve` print about the limits in force.
func (l Limits) Describe(lang string) string {
	t := func(key string) string { return i18n.T(lang, key, nil) }
	session := t("cli.limits.session-default")
	if l.SessionTimeout > 0 {
		session = shortDuration(l.SessionTimeout)
	}
	quota := t("cli.limits.no-quota")
	switch {
	case l.QuotaDiffers:
		quota = t("cli.limits.quota-per-provider")
	case l.MailboxQuota > 0:
		quota = FormatSize(l.MailboxQuota)
	}
	return i18n.T(lang, "cli.world.limits", map[string]string{
		"conns": strconv.Itoa(l.MaxConns), "peraddr": strconv.Itoa(l.MaxConnsPerAddr),
		"login": shortDuration(l.LoginTimeout), "stress": shortDuration(l.StressTimeout), "session": session,
		"delay": shortDuration(l.AuthFailureDelay), "quota": quota})
}
