package mua

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/emersion/go-smtp"
)

// MXNet is a Net that can also ask the world's DNS, from the device, for
// a domain's MX hosts.
type MXNet interface {
	LookupMX(ctx context.Context, node, domain string) ([]*net.MX, error)
}

// ErrNoDNS: the device's network cannot look up MX records.
var ErrNoDNS = errors.New("mua: this network has no DNS for MX lookups")

// SendDirect sends the draft the way a spammer's script does: no
// submission server and no AUTH, but straight to each recipient domain's
// MX on port 25 (RFC 5321 §5.1), greeting with the device's own name.
// STARTTLS is used when the MX offers it, as by any MTA. The receiving MX
// then judges the mail as it judges all strangers: SPF sees the device's
// address, there is no DKIM signature, and DMARC applies the sender
// domain's policy. Every domain is tried; the errors are joined.
func (d *Device) SendDirect(ctx context.Context, draft Draft) error {
	mxnet, ok := d.Net.(MXNet)
	if !ok {
		return ErrNoDNS
	}
	raw, err := draft.Compose()
	if err != nil {
		return err
	}
	var errs []error
	for _, group := range byDomain(draft.Recipients()) {
		domain := group[0][strings.LastIndexByte(group[0], '@')+1:]
		if err := d.sendToDomain(ctx, mxnet, domain, draft.From, group, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", domain, err))
		}
	}
	return errors.Join(errs...)
}

func (d *Device) sendToDomain(ctx context.Context, mxnet MXNet, domain, from string, to []string, raw []byte) error {
	mxs, err := mxnet.LookupMX(ctx, d.Node, domain)
	if err != nil {
		return err
	}
	slices.SortStableFunc(mxs, func(a, b *net.MX) int { return int(a.Pref) - int(b.Pref) })
	hosts := make([]string, 0, len(mxs))
	for _, mx := range mxs {
		hosts = append(hosts, strings.TrimSuffix(mx.Host, "."))
	}
	if len(hosts) == 0 {
		hosts = []string{domain} // implicit MX (RFC 5321 §5.1)
	}
	var dialErr error
	for _, host := range hosts {
		conn, err := d.Net.DialService(ctx, d.Node, host, 25)
		if err != nil {
			dialErr = err
			continue // the next MX, as RFC 5321 §5.1 says
		}
		return d.directSession(conn, host, from, to, raw)
	}
	return dialErr
}

// directSession is one SMTP transaction on port 25 without AUTH.
func (d *Device) directSession(conn net.Conn, host, from string, to []string, raw []byte) error {
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello(d.Node); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(d.Net.NodeTLS(d.Node, host)); err != nil {
			return err
		}
	}
	if err := sendMail(c, from, to, raw); err != nil {
		c.Quit() // say goodbye even when refused, as MTAs do
		return err
	}
	return c.Quit()
}

// byDomain groups addresses by their domain, in order of first
// appearance, without duplicates.
func byDomain(addrs []string) [][]string {
	idx := map[string]int{}
	seen := map[string]bool{}
	var out [][]string
	for _, a := range addrs {
		if seen[strings.ToLower(a)] {
			continue
		}
		seen[strings.ToLower(a)] = true
		dom := strings.ToLower(a[strings.LastIndexByte(a, '@')+1:])
		i, ok := idx[dom]
		if !ok {
			i = len(out)
			idx[dom] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], a)
	}
	return out
}
