package msa

import (
	"crypto"

	"github.com/emersion/go-msgauth/dkim"
)

// DKIM is the signing key of the provider's domain (RFC 6376).
type DKIM struct {
	Domain   string // d=: example.org
	Selector string // s=: the key's name under _domainkey
	Key      crypto.Signer
}

// signedFields are the fields a DKIM signature covers: From is required
// (RFC 6376 §5.4), the rest are those §5.4.1 recommends and every mail
// has. Trace fields are left out: servers on the way add them.
var signedFields = []string{"From", "To", "Subject", "Date", "Message-ID"}

// sign prepends a DKIM-Signature (RFC 6376 §5); relaxed canonicalization
// survives the header refolding some relays do (§3.4.2). Without a key,
// or when signing fails, the message goes out unsigned: the receiver's
// DMARC check is what notices.
func (d *DKIM) sign(raw []byte) []byte {
	if d == nil || d.Key == nil {
		return raw
	}
	s, err := dkim.NewSigner(&dkim.SignOptions{Domain: d.Domain, Selector: d.Selector, Signer: d.Key,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
		HeaderKeys: signedFields})
	if err != nil {
		return raw
	}
	if _, err := s.Write(raw); err != nil {
		s.Close()
		return raw
	}
	if err := s.Close(); err != nil {
		return raw
	}
	return append([]byte(s.Signature()), raw...)
}
