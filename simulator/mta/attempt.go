package mta

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// attempt delivers the item's pending recipients once, then settles its
// state: sent, deferred with a retry time, or bounced. cache is an AutoRun
// worker's open session, nil for Flush.
func (q *Queue) attempt(ctx context.Context, e *entry, cache *sessionCache) {
	if to := pendingAddrs(e); len(to) > 0 {
		q.update(e, func(it *Item) { it.Attempts++ })
		if !q.deliverCached(e, to, cache) {
			q.deliver(ctx, e, to, cache)
		}
	}
	q.settle(e)
}

// deliverCached sends the item over the worker's open session with its
// domain's MX, without DNS or a new connection, as Postfix does with its
// connection cache. It returns false when there is no such session or it
// turned out dead before MAIL was answered; the item then goes the usual
// way.
func (q *Queue) deliverCached(e *entry, to []string, cache *sessionCache) bool {
	s := cache.take(e.item.Domain, q.clock.Now())
	if s == nil {
		return false
	}
	q.update(e, func(it *Item) {
		it.State, it.MX, it.Addr = StateSending, s.host, net.JoinHostPort(s.ip, strconv.Itoa(q.port(s.host)))
	})
	per, reusable := s.transaction(e.item.From, to, e.raw)
	if o := per[to[0]]; o.stage == "MAIL FROM" && (!o.smtp || strings.HasPrefix(o.reply, "421")) {
		s.c.Close() // gone while it waited: nothing was sent, so try afresh
		s.stop()
		return false
	}
	if reusable && q.waiting(s.domain) {
		cache.put(s)
	} else {
		s.quit()
	}
	q.recordEach(e, per)
	return true
}

func pendingAddrs(e *entry) []string {
	var out []string
	for _, r := range e.item.To {
		if r.pending() {
			out = append(out, r.Addr)
		}
	}
	return out
}

// deliver walks the MX list (RFC 5321 §5.1): on to the next address when
// one cannot be reached, done with the first one that answers.
func (q *Queue) deliver(ctx context.Context, e *entry, to []string, cache *sessionCache) {
	if q.opts.Refuse != nil {
		if why := q.opts.Refuse(e.item.Domain); why != "" {
			q.record(e, to, local(5, "5.7.1", why))
			return
		}
	}
	q.update(e, func(it *Item) { it.State, it.MX, it.Addr = StateLookingUp, "", "" })
	hosts, fail := q.route(ctx, e.item.Domain)
	if fail != nil {
		q.record(e, to, *fail)
		return
	}
	last := local(4, "4.4.1", "no MX host could be reached for "+e.item.Domain)
	for _, host := range hosts {
		ips, err := q.opts.Resolver.LookupA(ctx, host)
		if err != nil || len(ips) == 0 {
			last = local(4, "4.4.3", fmt.Sprintf("Host or domain name not found. Name service error for name=%s type=A: %v", host, errText(err)))
			continue
		}
		for _, ip := range ips {
			per, ok := q.try(ctx, e, host, ip.String(), to, cache)
			if ok {
				q.recordEach(e, per)
				return
			}
			last = per[to[0]]
		}
	}
	q.record(e, to, last)
}

// try runs one connection; ok is false when the host could not be used at
// all (no connection, or no greeting) so the next one should be tried.
func (q *Queue) try(ctx context.Context, e *entry, host, ip string, to []string, cache *sessionCache) (map[string]outcome, bool) {
	addr := net.JoinHostPort(ip, strconv.Itoa(q.port(host)))
	q.update(e, func(it *Item) { it.State, it.MX, it.Addr = StateConnecting, host, addr })
	conn, err := q.opts.Dial(ctx, "tcp", addr)
	if err != nil {
		o := local(4, "4.4.1", fmt.Sprintf("connect to %s[%s]:%d: %v", host, ip, q.port(host), errText(err)))
		return all(to, o), false
	}
	q.update(e, func(it *Item) { it.State = StateSending })
	return q.transact(ctx, conn, e.item.Domain, host, ip, e.item.From, to, e.raw, cache)
}

// route returns the MX hosts of domain, most preferred first, or the
// outcome for every recipient when there is no route.
func (q *Queue) route(ctx context.Context, domain string) ([]string, *outcome) {
	mxs, err := q.opts.Resolver.LookupMX(ctx, domain)
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		o := local(5, "5.1.2", "Host or domain name not found. Name service error for name="+domain+" type=MX: Host not found")
		return nil, &o
	case err != nil:
		o := local(4, "4.4.3", "Name service error for name="+domain+" type=MX: "+errText(err))
		return nil, &o
	case len(mxs) == 0:
		return []string{domain}, nil // implicit MX (RFC 5321 §5.1)
	case len(mxs) == 1 && mxs[0].Host == ".":
		o := local(5, "5.1.10", "Domain "+domain+" does not accept mail (null MX, RFC 7505)")
		return nil, &o
	}
	hosts := make([]string, len(mxs))
	for i, mx := range mxs {
		hosts[i] = strings.TrimSuffix(mx.Host, ".")
	}
	return hosts, nil
}

func (q *Queue) port(host string) int {
	if q.opts.SMTPPort == nil {
		return 25
	}
	return q.opts.SMTPPort(host)
}

func errText(err error) string {
	if err == nil {
		return "no address"
	}
	return err.Error()
}

func all(to []string, o outcome) map[string]outcome {
	m := make(map[string]outcome, len(to))
	for _, r := range to {
		m[r] = o
	}
	return m
}

func (q *Queue) record(e *entry, to []string, o outcome) { q.recordEach(e, all(to, o)) }

// recordEach stores each recipient's outcome: 2xx sent, 4xx deferred, 5xx
// failed (a DSN follows in settle).
func (q *Queue) recordEach(e *entry, per map[string]outcome) {
	q.update(e, func(it *Item) {
		for i := range it.To {
			o, ok := per[it.To[i].Addr]
			if !ok || !it.To[i].pending() {
				continue
			}
			e.last[i] = o
			it.To[i].Reply, it.To[i].Status = o.reply, o.status
			switch o.class {
			case 2:
				it.To[i].State = StateSent
			case 5:
				it.To[i].State, e.dsn[i] = StateFailed, true
			default:
				it.To[i].State = StateDeferred
				it.LastError = o.reply
			}
		}
	})
}
