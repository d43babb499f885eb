package worldspec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Size is a number of octets, written 1048576, 512KiB, 50MiB or 10MB in
// a file, or "none" for no limit (Unlimited).
type Size int64

// Unlimited is the Size written "none".
const Unlimited Size = -1

var sizeUnits = []struct {
	suffix string
	mult   int64
}{ // longest suffixes first: "MiB" before "B"
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

// ParseSize reads a size in octets: 1048576, 512KiB, 50MiB, 10MB, 1GB
// (KiB/MiB/GiB and K/M/G are powers of 1024, KB/MB/GB of 1000; case does
// not matter). Negative sizes and sizes over 1 TiB are refused.
func ParseSize(s string) (int64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, false
	}
	return n * mult, true
}

// FormatSize writes octets the way ParseSize reads them, in the largest
// binary unit that divides them.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}

func (s Size) String() string {
	if s < 0 {
		return "none"
	}
	return FormatSize(int64(s))
}

// MarshalYAML writes 50MiB, or none.
func (s Size) MarshalYAML() (any, error) { return s.String(), nil }

// UnmarshalYAML reads what ParseSize reads, or none.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("must be a size such as 50MiB")
	}
	if strings.EqualFold(strings.TrimSpace(n.Value), "none") {
		*s = Unlimited
		return nil
	}
	v, ok := ParseSize(n.Value)
	if !ok {
		return fmt.Errorf("%q is not a size (write 2000, 512KiB, 50MiB, 10MB or none)", n.Value)
	}
	*s = Size(v)
	return nil
}

// Duration is written as Go and the command line write it: 2s, 1m, 90s.
type Duration time.Duration

func (d Duration) String() string {
	const day = 24 * time.Hour
	if v := time.Duration(d); v >= day && v%day == 0 {
		return strconv.FormatInt(int64(v/day), 10) + "d" // as Postfix writes 5d
	}
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalYAML writes 2s, 1m.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads a duration with its unit (0 alone is allowed).
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if n.Kind != yaml.ScalarNode || s == "" {
		return errors.New("must be a duration such as 2s or 1m")
	}
	v, ok := ParseDuration(s)
	if !ok {
		return fmt.Errorf("%q is not a duration (write 500ms, 2s, 1m, 1h or 5d)", n.Value)
	}
	*d = Duration(v)
	return nil
}

// ParseDuration reads 500ms, 2s, 1m, 1h30m, 0 or whole days (5d, as
// Postfix writes maximal_queue_lifetime); ok is false for anything else
// and for a negative duration.
func ParseDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, true
	}
	if n, found := strings.CutSuffix(s, "d"); found {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100000 {
			return 0, false
		}
		return time.Duration(days) * 24 * time.Hour, true
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}
