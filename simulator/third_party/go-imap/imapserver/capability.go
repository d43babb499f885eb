package imapserver

import (
	"fmt"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

func (c *Conn) handleCapability(dec *imapwire.Decoder) error {
	if !dec.ExpectCRLF() {
		return dec.Err()
	}

	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("CAPABILITY")
	for _, c := range c.availableCaps() {
		enc.SP().Atom(string(c))
	}
	return enc.CRLF()
}

// availableCaps returns the capabilities supported by the server.
//
// They depend on the connection state.
//
// Some extensions (e.g. SASL-IR, ENABLE) don't require backend support and
// thus are always enabled.
func (c *Conn) availableCaps() []imap.Cap {
	available := c.server.options.caps()

	var caps []imap.Cap
	addAvailableCaps(&caps, available, []imap.Cap{
		imap.CapIMAP4rev2,
		imap.CapIMAP4rev1,
	})
	if len(caps) == 0 {
		panic("imapserver: must support at least IMAP4rev1 or IMAP4rev2")
	}

	if available.Has(imap.CapIMAP4rev1) {
		caps = append(caps, imap.CapSASLIR)
		// Maillab patch 2: LITERAL+ is offered in every state where the
		// server offers it (Dovecot does, RFC 7888 §4), and then never
		// LITERAL- beside it: a list with both leaves a client guessing.
		if available.Has(imap.CapLiteralPlus) {
			caps = append(caps, imap.CapLiteralPlus)
		} else {
			caps = append(caps, imap.CapLiteralMinus)
		}
	}
	if available.Has(imap.CapID) {
		caps = append(caps, imap.CapID) // Maillab patch 2: ID (RFC 2971) in every state
	}
	if c.canStartTLS() {
		caps = append(caps, imap.CapStartTLS)
	}
	if c.canAuth() {
		mechs := []string{"PLAIN"}
		if authSess, ok := c.session.(SessionSASL); ok {
			mechs = authSess.AuthenticateMechanisms()
		}
		for _, mech := range mechs {
			caps = append(caps, imap.Cap("AUTH="+mech))
		}
	} else if c.state == imap.ConnStateNotAuthenticated {
		caps = append(caps, imap.CapLoginDisabled)
	}
	if c.state == imap.ConnStateAuthenticated || c.state == imap.ConnStateSelected {
		if available.Has(imap.CapIMAP4rev1) {
			// IMAP4rev1-specific capabilities that don't require backend
			// support and are not applicable to IMAP4rev2
			caps = append(caps, []imap.Cap{
				imap.CapUnselect,
				imap.CapEnable,
				imap.CapIdle,
				imap.CapUTF8Accept,
			}...)

			// IMAP4rev1-specific capabilities which require backend support
			// and are not applicable to IMAP4rev2
			addAvailableCaps(&caps, available, []imap.Cap{
				imap.CapNamespace,
				imap.CapUIDPlus,
				imap.CapESearch,
				imap.CapSearchRes,
				imap.CapListExtended,
				imap.CapListStatus,
				imap.CapMove,
				imap.CapStatusSize,
				imap.CapBinary,
				imap.CapChildren,
			})
		}

		// Capabilities which require backend support and apply to both
		// IMAP4rev1 and IMAP4rev2
		addAvailableCaps(&caps, available, []imap.Cap{
			imap.CapSpecialUse,
			imap.CapCreateSpecialUse,
			imap.CapUnauthenticate,
		})
		// Maillab patch 2: every other capability the server was given
		// (SORT, THREAD=…, CONDSTORE, …) is listed after login, in the
		// order given, instead of being dropped silently.
		caps = appendOtherCaps(caps, c.server.options.Caps)

		if appendLimitSession, ok := c.session.(SessionAppendLimit); ok {
			limit := appendLimitSession.AppendLimit()
			caps = append(caps, imap.Cap(fmt.Sprintf("APPENDLIMIT=%d", limit)))
		} else {
			addAvailableCaps(&caps, available, []imap.Cap{imap.CapAppendLimit})
		}
	}
	return caps
}

func addAvailableCaps(caps *[]imap.Cap, available imap.CapSet, l []imap.Cap) {
	for _, c := range l {
		if available.Has(c) {
			*caps = append(*caps, c)
		}
	}
}

// knownCaps are the capabilities availableCaps decides on by itself
// (Maillab patch 2).
var knownCaps = map[imap.Cap]bool{
	imap.CapIMAP4rev1: true, imap.CapIMAP4rev2: true, imap.CapSASLIR: true, imap.CapLiteralMinus: true,
	imap.CapLiteralPlus: true, imap.CapID: true, imap.CapStartTLS: true, imap.CapLoginDisabled: true,
	imap.CapUnselect: true, imap.CapEnable: true, imap.CapIdle: true, imap.CapUTF8Accept: true,
	imap.CapNamespace: true, imap.CapUIDPlus: true, imap.CapESearch: true, imap.CapSearchRes: true,
	imap.CapListExtended: true, imap.CapListStatus: true, imap.CapMove: true, imap.CapStatusSize: true,
	imap.CapBinary: true, imap.CapChildren: true, imap.CapSpecialUse: true, imap.CapCreateSpecialUse: true,
	imap.CapUnauthenticate: true, imap.CapAppendLimit: true,
}

// appendOtherCaps appends the capabilities of set that knownCaps does
// not name, sorted, so the list is the same on every connection.
func appendOtherCaps(caps []imap.Cap, set imap.CapSet) []imap.Cap {
	var other []imap.Cap
	for c := range set {
		if !knownCaps[c] && !strings.HasPrefix(string(c), "AUTH=") {
			other = append(other, c)
		}
	}
	sort.Slice(other, func(i, j int) bool { return other[i] < other[j] })
	return append(caps, other...)
}
