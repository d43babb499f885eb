package dnsrecord

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strconv"
	"strings"
)

// MinRSABits is the smallest RSA key a verifier accepts (RFC 8301 §3.2).
const MinRSABits = 1024

var (
	codeDKIMEmpty   = def("dkim-empty", "the DKIM key record is empty; write v=DKIM1; k=ed25519 (or k=rsa); p= and the public key")
	codeDKIMChar    = def("dkim-char", "the DKIM key record contains {char}: only printable ASCII is allowed")
	codeDKIMVersion = def("dkim-version", "v= must be the first tag and say DKIM1, not \"{value}\" (RFC 6376 §3.6.1)")
	codeDKIMNoKey   = def("dkim-no-p", "the p= tag with the public key is missing (RFC 6376 §3.6.1); an empty p= revokes the key")
	codeDKIMKeyType = def("dkim-k", "k={value}: the key type is rsa or ed25519 (RFC 6376 §3.6.1, RFC 8463)")
	codeDKIMHash    = def("dkim-h", "h={value}: the hash algorithms are sha256 (or sha1), separated by colons")
	codeDKIMBase64  = def("dkim-base64", "p= is not base64 (A–Z, a–z, 0–9, +, / and = at the end): {err}")
	codeDKIMKey     = def("dkim-key", "p= decodes but is not an {type} public key")
	codeDKIMShort   = def("dkim-short", "p= is an RSA key of {bits} bits; verifiers refuse keys under 1024 bits (RFC 8301 §3.2)")
	codeDKIMFlags   = def("dkim-t", "t={value}: the flags are y (testing) and s (strict), separated by colons")
	codeDKIMService = def("dkim-s", "s={value}: the service type is * or email")
)

// DKIMKey is what a valid key record holds.
type DKIMKey struct {
	Type    string           // rsa or ed25519
	Revoked bool             // p= is empty (RFC 6376 §3.6.1)
	Public  crypto.PublicKey // nil when revoked
}

// CheckDKIM checks a DKIM key record (RFC 6376 §3.6.1).
func CheckDKIM(text string) error {
	_, err := ParseDKIM(text)
	return err
}

// ParseDKIM checks a DKIM key record and returns its key.
func ParseDKIM(text string) (DKIMKey, error) {
	var k DKIMKey
	if strings.TrimSpace(text) == "" {
		return k, mk(codeDKIMEmpty)
	}
	if c := nonASCII(text); c != "" {
		return k, mk(codeDKIMChar, "char", c)
	}
	tags, err := tagList(text, "DKIM")
	if err != nil {
		return k, err
	}
	k.Type = "rsa"
	var p *string
	for i, t := range tags {
		v := t.value
		switch t.name {
		case "v":
			if i != 0 || v != "DKIM1" {
				return k, mk(codeDKIMVersion, "value", v)
			}
		case "k":
			if v != "rsa" && v != "ed25519" {
				return k, mk(codeDKIMKeyType, "value", v)
			}
			k.Type = v
		case "h":
			for _, h := range strings.Split(v, ":") {
				if h = strings.TrimSpace(h); h != "sha256" && h != "sha1" {
					return k, mk(codeDKIMHash, "value", v)
				}
			}
		case "t":
			for _, f := range strings.Split(v, ":") {
				if f = strings.TrimSpace(f); f != "y" && f != "s" {
					return k, mk(codeDKIMFlags, "value", v)
				}
			}
		case "s":
			for _, f := range strings.Split(v, ":") {
				if f = strings.TrimSpace(f); f != "*" && f != "email" {
					return k, mk(codeDKIMService, "value", v)
				}
			}
		case "p":
			p = &tags[i].value
		} // n= (notes) and unknown tags are ignored (§3.6.1)
	}
	if p == nil {
		return k, mk(codeDKIMNoKey)
	}
	b64 := strings.Join(strings.Fields(*p), "") // FWS may fold the value (§3.2)
	if b64 == "" {
		k.Revoked = true
		return k, nil
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return k, mk(codeDKIMBase64, "err", err.Error())
	}
	switch k.Type {
	case "ed25519":
		if len(der) != ed25519.PublicKeySize {
			return k, mk(codeDKIMKey, "type", "Ed25519")
		}
		k.Public = ed25519.PublicKey(der)
	default:
		pub, err := x509.ParsePKIXPublicKey(der)
		if err != nil {
			if pk, err1 := x509.ParsePKCS1PublicKey(der); err1 == nil {
				pub, err = pk, nil
			}
		}
		rk, ok := pub.(*rsa.PublicKey)
		if err != nil || !ok {
			return k, mk(codeDKIMKey, "type", "RSA")
		}
		if bits := rk.N.BitLen(); bits < MinRSABits {
			return k, mk(codeDKIMShort, "bits", strconv.Itoa(bits))
		}
		k.Public = rk
	}
	return k, nil
}
