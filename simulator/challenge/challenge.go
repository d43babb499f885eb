// Package challenge runs a troubleshooting challenge's test and checks its
// goal on a running world: facts only (which mail is where, what the MX's
// Authentication-Results said, what waits in the queues, what a device
// fetched). The words (title, task, hints, explanation) are the lessons
// layer's (lessons/challenge); this package emits facts and keys.
package challenge

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// Goal is what the run must show, as facts the simulator can evaluate.
// Every part that is set must hold.
type Goal struct {
	// Delivered: a mail from From reached To's mailbox (Folder, INBOX
	// when empty) and, where given, the receiving MX's
	// Authentication-Results field gave these results.
	Delivered *Delivered `yaml:"delivered,omitempty" json:"delivered,omitempty"`
	// QueueEmpty: no message waits (queued or deferred) in any outgoing queue.
	QueueEmpty bool `yaml:"queue-empty,omitempty" json:"queueEmpty,omitempty"`
	// FetchedBy: each of these devices holds a mail from Delivered.From
	// (or any mail when Delivered is not set).
	FetchedBy []string `yaml:"fetched-by,omitempty" json:"fetchedBy,omitempty"`
}

// Delivered is one mail that must have arrived.
type Delivered struct {
	To     string `yaml:"to" json:"to"`
	From   string `yaml:"from" json:"from"`
	Folder string `yaml:"folder,omitempty" json:"folder,omitempty"`
	SPF    string `yaml:"spf,omitempty" json:"spf,omitempty"`
	DKIM   string `yaml:"dkim,omitempty" json:"dkim,omitempty"`
	DMARC  string `yaml:"dmarc,omitempty" json:"dmarc,omitempty"`
}

// Test is the test the learner runs: a mail sent from a device's mail
// client as the world file sets that device up (its security), then the
// listed devices check their mail in order, each as its world-file
// settings say (protocol, leave-on-server).
type Test struct {
	Device  string   `yaml:"device" json:"device"` // sends the test mail
	To      string   `yaml:"to" json:"to"`
	Route   string   `yaml:"route,omitempty" json:"route,omitempty"` // 587 (default) | 465 | 25
	Subject string   `yaml:"subject,omitempty" json:"subject,omitempty"`
	Check   []string `yaml:"check,omitempty" json:"check,omitempty"` // devices that check mail afterwards
	// Wait lets up to this much of the world's time pass after sending
	// (30m, 2h): the sender's queue retries as each retry falls due,
	// until nothing waits in it, so greylisting and a queue lifetime
	// show without real waiting. Left out: no time passes.
	Wait worldspec.Duration `yaml:"wait,omitempty" json:"wait,omitempty"`
}

// Fact is one part of the goal and whether the world shows it. Key names
// the fact (challenge.fact.*), Params its values; Got what was found.
type Fact struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params,omitempty"`
	Met    bool              `json:"met"`
	Got    string            `json:"got,omitempty"`
}

// Result is a goal evaluated.
type Result struct {
	Met   bool   `json:"met"`
	Facts []Fact `json:"facts"`
}

// Check evaluates g on w as it is now; with w nil it lists g's facts,
// none met.
func Check(w *world.World, g Goal) Result {
	if w == nil {
		r := Check(emptyWorld, g)
		for i := range r.Facts {
			r.Facts[i].Met, r.Facts[i].Got = false, ""
		}
		r.Met = false
		return r
	}
	var facts []Fact
	if d := g.Delivered; d != nil {
		facts = append(facts, checkDelivered(w, *d))
	}
	if g.QueueEmpty {
		f := Fact{Key: "queue-empty", Met: true}
		for _, ps := range w.Spec().Providers {
			p := w.Provider(ps.Domain)
			if p == nil {
				continue
			}
			for _, it := range p.Queue.Snapshot() {
				if it.State != mta.StateSent && it.State != mta.StateBounced && it.State != mta.StateFailed {
					f.Met, f.Got = false, string(it.State)
				}
			}
		}
		facts = append(facts, f)
	}
	from := ""
	if g.Delivered != nil {
		from = g.Delivered.From
	}
	for _, dev := range g.FetchedBy {
		f := Fact{Key: "fetched-by", Params: map[string]string{"device": dev, "from": from}}
		if d := w.Device(dev); d != nil {
			for _, l := range d.Messages() {
				if from == "" || strings.Contains(strings.ToLower(l.From), strings.ToLower(from)) {
					f.Met = true
				}
			}
		}
		facts = append(facts, f)
	}
	r := Result{Met: len(facts) > 0, Facts: facts}
	for _, f := range facts {
		r.Met = r.Met && f.Met
	}
	return r
}

func checkDelivered(w *world.World, d Delivered) Fact {
	f := Fact{Key: "delivered", Params: map[string]string{"to": d.To, "from": d.From}}
	want := map[string]string{"spf": d.SPF, "dkim": d.DKIM, "dmarc": d.DMARC}
	for _, k := range []string{"spf", "dkim", "dmarc"} {
		if want[k] != "" {
			f.Params[k] = want[k]
		}
	}
	f.Got = queueReply(w, d)
	p := w.Provider(domainOf(d.To))
	if p == nil {
		return f
	}
	folder := d.Folder
	if folder == "" {
		folder = "INBOX"
	}
	msgs, err := p.Store.Messages(d.To, folder)
	if err != nil {
		return f
	}
	for _, m := range msgs {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Raw)))
		if err != nil || !fromMatches(msg.Header.Get("From"), d.From) {
			continue
		}
		got := authResults(msg.Header["Authentication-Results"])
		ok := true
		var parts []string
		for _, k := range []string{"spf", "dkim", "dmarc"} {
			if want[k] == "" {
				continue
			}
			parts = append(parts, k+"="+orNone(got[k]))
			if got[k] != want[k] {
				ok = false
			}
		}
		f.Got = strings.Join(parts, " ")
		if ok {
			f.Met = true
			return f
		}
	}
	return f
}

// queueReply is the last answer about d.To in the sender's outgoing
// queue ("550 5.7.1 …", "deferred: 4.4.3 …"), or "".
func queueReply(w *world.World, d Delivered) string {
	p := w.Provider(domainOf(d.From))
	if p == nil {
		return ""
	}
	got := ""
	for _, it := range p.Queue.Snapshot() {
		if !strings.EqualFold(it.From, d.From) {
			continue
		}
		for _, r := range it.To {
			if strings.EqualFold(r.Addr, d.To) && r.State != mta.StateSent {
				got = string(r.State)
				if r.Reply != "" {
					got += ": " + r.Reply
				} else if it.LastError != "" {
					got += ": " + it.LastError
				}
			}
		}
	}
	return got
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func fromMatches(header, want string) bool {
	a, err := mail.ParseAddress(header)
	return err == nil && strings.EqualFold(a.Address, want)
}

// authResults reads "spf=pass", "dkim=fail", "dmarc=pass" from the
// Authentication-Results fields (RFC 8601 §2.2).
func authResults(fields []string) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		for _, part := range strings.Split(f, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok {
				continue
			}
			k = strings.ToLower(strings.TrimSpace(k))
			v = strings.ToLower(strings.Fields(v + " ")[0])
			if (k == "spf" || k == "dkim" || k == "dmarc") && out[k] == "" {
				out[k] = v
			}
		}
	}
	return out
}

func domainOf(addr string) string { return addr[strings.LastIndexByte(addr, '@')+1:] }

// ErrNoDevice: the test names a device the world does not have.
var ErrNoDevice = errors.New("challenge: no such device")

// StepError says which step of a test stopped it: "send" (the test
// mail from Device) or "check" (Device checking mail), and the reply or
// error that stopped it.
type StepError struct {
	Step, Device string
	Err          error
}

func (e *StepError) Error() string { return e.Step + " " + e.Device + ": " + e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// Run sends the test mail and lets the devices check their mail, each as
// the world file sets it up (security, protocol, leave-on-server), as
// steps in w's transcript. A step that fails (a refused submission, a
// failed login) ends the test: the goal then shows what did not happen;
// the error says which step failed.
func Run(ctx context.Context, w *world.World, t Test) error {
	spec := w.Spec()
	dev, ok := deviceSpec(spec, t.Device)
	if !ok || w.Device(t.Device) == nil {
		return fmt.Errorf("%w: %s", ErrNoDevice, t.Device)
	}
	route := scenario.Route(t.Route)
	if route == "" {
		route = scenario.RouteSubmission
	}
	d := mua.Draft{From: dev.Account, To: []string{t.To}, Subject: t.Subject, Body: "Test.\r\n"}
	if d.Subject == "" {
		d.Subject = "Test"
	}
	// Mail a fault held back is tried again now (postqueue -f), so a fix
	// made while the world runs shows in this test.
	for _, p := range spec.Providers {
		if pr := w.Provider(p.Domain); pr != nil {
			pr.Queue.RetryNow()
		}
	}
	if err := scenario.ClientSendAs(ctx, w, t.Device, d, route, mua.Security(dev.Security)); err != nil {
		return &StepError{Step: "send", Device: t.Device, Err: err}
	}
	if t.Wait > 0 {
		if err := waitForQueue(ctx, w, domainOf(dev.Account), time.Duration(t.Wait)); err != nil {
			return err
		}
	}
	for _, c := range t.Check {
		cd, ok := deviceSpec(spec, c)
		if !ok || w.Device(c) == nil {
			return fmt.Errorf("%w: %s", ErrNoDevice, c)
		}
		leave := cd.LeaveOnServer != nil && *cd.LeaveOnServer
		o := scenario.CheckOptions{Protocol: cd.Protocol, LeaveOnServer: leave, Security: mua.Security(cd.Security),
			DeleteAfterDays: cd.DeleteAfterDays}
		if err := scenario.ClientCheckWith(ctx, w, c, o); err != nil {
			return &StepError{Step: "check", Device: c, Err: err}
		}
	}
	return nil
}

// maxWaits bounds the retries one test lets happen.
const maxWaits = 50

// waitForQueue lets the world's time pass to each retry of domain's queue
// that falls due within wait, and runs the queue then.
func waitForQueue(ctx context.Context, w *world.World, domain string, wait time.Duration) error {
	p := w.Provider(domain)
	if p == nil {
		return nil
	}
	for range maxWaits {
		var next time.Time
		for _, it := range p.Queue.Snapshot() {
			if it.State == mta.StateDeferred && (next.IsZero() || it.NextRetry.Before(next)) {
				next = it.NextRetry
			}
		}
		if next.IsZero() {
			return nil
		}
		step := max(next.Sub(w.Clock().Now()), 0)
		if step > wait {
			return nil
		}
		if err := w.PassTime(ctx, step); err != nil {
			return err
		}
		wait -= step
		if err := scenario.QueueRunAt(ctx, w, domain); err != nil {
			return err
		}
	}
	return nil
}

func deviceSpec(s world.Spec, name string) (dev struct {
	Account, Protocol, Security string
	LeaveOnServer               *bool
	DeleteAfterDays             int
}, ok bool) {
	for _, d := range s.Devices {
		if d.Name == name {
			dev.Account, dev.Protocol, dev.Security, dev.LeaveOnServer = d.Account, d.Protocol, d.Security, d.LeaveOnServer
			dev.DeleteAfterDays = d.DeleteAfterDays
			return dev, true
		}
	}
	return dev, false
}

// emptyWorld has no providers and no devices: Check(nil, g) lists g's
// facts against it.
var emptyWorld = &world.World{}
