package store

import (
	"fmt"
	"slices"
	"strings"
)

// System flags of RFC 9051 §2.3.2. \Recent (RFC 3501 only) is a session
// flag that cannot be stored, so it is silently dropped.
const (
	FlagSeen     = `\Seen`
	FlagAnswered = `\Answered`
	FlagFlagged  = `\Flagged`
	FlagDeleted  = `\Deleted`
	FlagDraft    = `\Draft`
	flagRecent   = `\Recent`
)

// systemFlags lists the system flags in the order flags are reported.
var systemFlags = []string{FlagSeen, FlagAnswered, FlagFlagged, FlagDeleted, FlagDraft}

// SystemFlags returns the system flags a message can carry.
func SystemFlags() []string { return slices.Clone(systemFlags) }

// FlagOp says how SetFlags combines the given flags with the current ones,
// like IMAP STORE's FLAGS, +FLAGS and -FLAGS (RFC 9051 §6.4.6).
type FlagOp int

const (
	FlagsAdd     FlagOp = iota // +FLAGS
	FlagsRemove                // -FLAGS
	FlagsReplace               // FLAGS
)

// canonicalFlag returns the spelling the store keeps: system flags in their
// RFC spelling, keywords as given. Flags are case-insensitive (RFC 9051
// §2.3.2), so comparisons use strings.EqualFold.
func canonicalFlag(f string) (string, error) {
	if strings.HasPrefix(f, `\`) {
		for _, sf := range systemFlags {
			if strings.EqualFold(f, sf) {
				return sf, nil
			}
		}
		if strings.EqualFold(f, flagRecent) {
			return "", nil
		}
		return "", fmt.Errorf("%w: %q", ErrInvalidFlag, f)
	}
	if f == "" || strings.ContainsFunc(f, notAtomChar) {
		return "", fmt.Errorf("%w: %q", ErrInvalidFlag, f)
	}
	return f, nil
}

// notAtomChar reports characters a keyword (an IMAP atom, RFC 9051 §9)
// cannot contain.
func notAtomChar(r rune) bool {
	return r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r)
}

// normalizeFlags canonicalises, de-duplicates and orders flags: system
// flags first in a fixed order, then keywords alphabetically.
func normalizeFlags(flags []string) ([]string, error) {
	var out []string
	for _, f := range flags {
		c, err := canonicalFlag(f)
		if err != nil {
			return nil, err
		}
		if c != "" && !hasFlag(out, c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, compareFlags)
	return out, nil
}

func compareFlags(a, b string) int {
	ra, rb := flagRank(a), flagRank(b)
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func flagRank(f string) int {
	if i := slices.Index(systemFlags, f); i >= 0 {
		return i
	}
	return len(systemFlags)
}

// HasFlag reports whether flags contains flag, ignoring case.
func HasFlag(flags []string, flag string) bool { return hasFlag(flags, flag) }

func hasFlag(flags []string, flag string) bool {
	return slices.ContainsFunc(flags, func(f string) bool { return strings.EqualFold(f, flag) })
}

// applyFlags returns the flags after op; both inputs are normalised.
func applyFlags(cur []string, op FlagOp, flags []string) []string {
	var out []string
	switch op {
	case FlagsReplace:
		out = slices.Clone(flags)
	case FlagsAdd:
		out = slices.Clone(cur)
		for _, f := range flags {
			if !hasFlag(out, f) {
				out = append(out, f)
			}
		}
	case FlagsRemove:
		for _, f := range cur {
			if !hasFlag(flags, f) {
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, compareFlags)
	return out
}

func sameFlags(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}
