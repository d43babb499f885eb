package world

import (
	"crypto"
	"crypto/tls"
	"net"
	"time"

	"maillab/simulator/mail"
	"maillab/simulator/mda"
	"maillab/simulator/pop3"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// The parts below are how the world joins its servers to a store; a
// provider built outside a world (a classroom student's) joins them the
// same way.

// POP3Backend lets a POP3 server read the INBOXes of st.
func POP3Backend(st *store.Store) pop3.Backend { return pop3Backend{st} }

// TLSListener terminates implicit TLS (465, 993, 995) with a handshake
// deadline (0: DefaultHandshakeTimeout).
func TLSListener(l net.Listener, cfg *tls.Config, timeout time.Duration) net.Listener {
	return tlsListener(l, cfg, timeout)
}

// MDAStore lets an MDA deliver into st, as the world's MDAs do.
func MDAStore(st *store.Store) mda.Mailstore { return mdaStore{st} }

// BounceInto delivers a DSN into the sender's INBOX in st.
func BounceInto(st *store.Store, now func() time.Time) func(env mail.Envelope, dsn []byte) error {
	return bounceInto(st, now)
}

// DKIMRecord is the DNS key record of a DKIM public key (RFC 6376 §3.6.1).
func DKIMRecord(pub crypto.PublicKey) (string, error) { return dkimRecord(pub) }

// NewDKIMKey makes a DKIM signing key like the world's MSAs have by
// default (Ed25519, RFC 8463).
func NewDKIMKey() (crypto.Signer, error) { return newDKIMKey(worldspec.DKIMEd25519) }
