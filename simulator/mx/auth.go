package mx

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-msgauth/dmarc"
	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

// LookupTXTFunc asks the world's DNS server, never the system resolver.
type LookupTXTFunc func(ctx context.Context, name string) ([]string, error)

// AuthResult is what the sender checks found for one message.
type AuthResult struct {
	SPF       spf.Result // RFC 7208 §2.6
	MailFrom  string     // the domain SPF checked
	DKIM      string     // pass, fail or none (RFC 8601 §2.7.1)
	DKIMFrom  string     // d= of the first valid signature
	DMARC     string     // pass, fail or none (RFC 7489 §11.2)
	FromHdr   string     // the From: domain DMARC protects
	Reject    bool       // DMARC fails and the domain asks for p=reject
	PolicyDom string
}

// authenticate runs SPF on the client's address and MAIL FROM (RFC 7208
// §2.4), verifies DKIM signatures (RFC 6376 §6) and applies the From:
// domain's DMARC policy with relaxed alignment (RFC 7489 §3.1, §6.6).
func (s *session) authenticate(raw []byte) AuthResult {
	ctx, lookup := s.srv.ctx, s.srv.opts.LookupTXT
	r := AuthResult{MailFrom: mail.Domain(s.env.From), FromHdr: fromDomain(raw)}
	if r.MailFrom == "" {
		r.MailFrom = s.conn.Hostname() // null sender: the HELO identity (§2.3)
	}
	ip := net.ParseIP(mail.RemoteIP(s.conn.Conn()))
	r.SPF, _ = spf.CheckHostWithSender(ip, s.conn.Hostname(), s.env.From,
		spf.WithContext(ctx), spf.WithResolver(worldResolver{lookup, s.srv.opts.LookupMX, s.srv.opts.LookupA}))
	r.DKIM, r.DKIMFrom = verifyDKIM(ctx, raw, lookup)
	r.DMARC, r.Reject = "none", false
	rec, err := dmarc.LookupWithOptions(r.FromHdr, &dmarc.LookupOptions{
		LookupTXT: func(n string) ([]string, error) { return lookup(ctx, n) }})
	if err != nil || r.FromHdr == "" {
		return r
	}
	r.PolicyDom = r.FromHdr
	spfOK := r.SPF == spf.Pass && s.srv.aligned(r.MailFrom, r.FromHdr, rec.SPFAlignment)
	dkimOK := r.DKIM == "pass" && s.srv.aligned(r.DKIMFrom, r.FromHdr, rec.DKIMAlignment)
	r.DMARC = "fail"
	if spfOK || dkimOK {
		r.DMARC = "pass"
	}
	r.Reject = r.DMARC == "fail" && rec.Policy == dmarc.PolicyReject
	return r
}

func verifyDKIM(ctx context.Context, raw []byte, lookup LookupTXTFunc) (result, domain string) {
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{MaxVerifications: 5,
		LookupTXT: func(n string) ([]string, error) { return lookup(ctx, n) }})
	if err != nil || len(vs) == 0 {
		return "none", ""
	}
	for _, v := range vs {
		if v.Err == nil {
			return "pass", v.Domain
		}
	}
	return "fail", vs[0].Domain
}

// aligned compares domains as RFC 7489 §3.1 says; relaxed mode compares
// organizational domains (§3.2).
func (srv *Server) aligned(a, b string, mode dmarc.AlignmentMode) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if mode == dmarc.AlignmentStrict {
		return a == b
	}
	return a != "" && orgDomain(a, srv.opts.PublicSuffixes) == orgDomain(b, srv.opts.PublicSuffixes)
}

// orgDomain is d's organizational domain (RFC 7489 §3.2): one label below
// its public suffix. The world's suffixes are one label (org, net, test);
// suffixes names longer ones, such as a classroom's zone room42.test, under
// which every student's domain is an organisation of its own, as the
// Public Suffix List's private entries (github.io) make each user's.
func orgDomain(d string, suffixes []string) string {
	d = strings.TrimSuffix(d, ".")
	for _, sfx := range suffixes {
		sfx = strings.ToLower(strings.TrimSuffix(sfx, "."))
		if rest, ok := strings.CutSuffix(d, "."+sfx); ok {
			return rest[strings.LastIndexByte(rest, '.')+1:] + "." + sfx
		}
	}
	labels := strings.Split(d, ".")
	if len(labels) <= 2 {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-2:], ".")
}

// fromDomain is the domain of the From: field, the identity DMARC
// protects (RFC 7489 §3.1, §6.6.1).
func fromDomain(raw []byte) string {
	h := gomail.Header{Header: message.Header{Header: mail.Header(raw)}}
	list, err := h.AddressList("From")
	if err != nil || len(list) != 1 {
		return ""
	}
	return strings.ToLower(mail.Domain(list[0].Address))
}

// field formats the Authentication-Results field (RFC 8601 §2.2).
func (r AuthResult) field(host string) string {
	return "Authentication-Results: " + authres.Format(host, []authres.Result{
		&authres.SPFResult{Value: authres.ResultValue(r.SPF), From: r.MailFrom},
		&authres.DKIMResult{Value: authres.ResultValue(r.DKIM), Domain: r.DKIMFrom},
		&authres.DMARCResult{Value: authres.ResultValue(r.DMARC), From: r.FromHdr},
	})
}

// rejection is the reply to mail refused by DMARC policy: 550 5.7.1
// (RFC 7489 §6.7 suggests it, RFC 3463 §3.8 defines 5.7.1).
func (r AuthResult) rejection() error {
	dkimText := "no valid DKIM signature"
	if r.DKIM == "pass" {
		dkimText = "DKIM signature of " + r.DKIMFrom + " not aligned"
	}
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: fmt.Sprintf("Rejected by DMARC policy of %s: SPF %s, %s", r.PolicyDom, r.SPF, dkimText)}
}

// worldResolver gives the SPF library the world's lookups: TXT always,
// MX and A when the server has them (a and mx mechanisms), nothing
// else, so it never asks the system resolver.
type worldResolver struct {
	lookup LookupTXTFunc
	mx     func(ctx context.Context, name string) ([]*net.MX, error)
	a      func(ctx context.Context, host string) ([]net.IP, error)
}

func (t worldResolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return t.lookup(ctx, name)
}

func (t worldResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	if t.mx == nil {
		return nil, notFound(name)
	}
	return t.mx(ctx, name)
}

func (t worldResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	if t.a == nil {
		return nil, notFound(host)
	}
	ips, err := t.a(ctx, host)
	out := make([]net.IPAddr, 0, len(ips))
	for _, ip := range ips {
		out = append(out, net.IPAddr{IP: ip})
	}
	return out, err
}

func (worldResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	return nil, notFound(addr)
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}
