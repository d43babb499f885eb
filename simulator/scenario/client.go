package scenario

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

// The built-in mail client: what a learner does on a device (Send, Check
// mail) becomes a step like a scripted one, driving the same agents. The
// app runs these in the current run's world, stepped or instant.

// Route is how the mail client sends a message.
type Route string

const (
	RouteSubmission Route = "587" // submission with STARTTLS and AUTH (RFC 6409, 3207, 4954)
	RouteImplicit   Route = "465" // submission over implicit TLS (RFC 8314)
	RouteDirect     Route = "25"  // straight to the recipient's MX, no AUTH, as a spammer does
)

// Routes lists the routes in the order the client offers them.
var Routes = []Route{RouteSubmission, RouteImplicit, RouteDirect}

// ErrUnknownDevice: no device with that id in this world.
var ErrUnknownDevice = errors.New("scenario: no such device")

// ClientSend is the Send button of device's mail client: the draft goes
// out by route; after a submission the provider's queue runs once, so the
// mail travels on to the recipient's MX. The outcome is noted in the
// transcript.
func ClientSend(ctx context.Context, w *world.World, device string, d mua.Draft, route Route) error {
	dev := w.Device(device)
	if dev == nil {
		return ErrUnknownDevice
	}
	s := &Script{W: w}
	names := make([]string, len(d.Attachments))
	for i, a := range d.Attachments {
		names[i] = a.Name
	}
	params := map[string]string{"to": strings.Join(d.Recipients(), ", "), "subject": d.Subject,
		"port": string(route), "attachments": strconv.Itoa(len(d.Attachments))}
	if err := s.Act(ctx, device, "action.client-sends", params); err != nil {
		return err
	}
	var err error
	switch route {
	case RouteDirect:
		err = dev.SendDirect(ctx, d)
	case RouteImplicit:
		err = dev.Submit(ctx, d, mua.SubmitOptions{Security: mua.Implicit})
	default:
		err = dev.Submit(ctx, d, mua.SubmitOptions{Security: mua.StartTLS})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		w.Note(ctx, device, "state.client-send-failed", map[string]string{"error": err.Error()})
		return err
	}
	if route == RouteDirect {
		return w.Note(ctx, device, "state.client-sent-direct", nil)
	}
	domain := dev.Account.Address[strings.LastIndexByte(dev.Account.Address, '@')+1:]
	return s.queueRunsAt(ctx, domain)
}

// ClientCheck is the "Check mail" button: POP3 downloads (deleting on the
// server unless leaveOnServer), IMAP lists the folders and mirrors INBOX's
// messages with their flags.
func ClientCheck(ctx context.Context, w *world.World, device, proto string, leaveOnServer bool) error {
	return ClientCheckAs(ctx, w, device, proto, leaveOnServer, mua.StartTLS)
}

// ClientOpen is a click on a message a device shows over IMAP: the client
// fetches it whole (UID FETCH BODY[] without PEEK), which makes the server
// set \Seen (RFC 9051 §6.4.5); the device then has its text and files.
func ClientOpen(ctx context.Context, w *world.World, device string, uid imap.UID) error {
	return ClientOpenAs(ctx, w, device, uid, mua.StartTLS)
}

// ClientOpenAs is ClientOpen with the device's own connection security.
func ClientOpenAs(ctx context.Context, w *world.World, device string, uid imap.UID, sec mua.Security) error {
	dev := w.Device(device)
	if dev == nil {
		return ErrUnknownDevice
	}
	params := map[string]string{"uid": strconv.Itoa(int(uid))}
	if l, ok := dev.Message("imap:" + strconv.Itoa(int(uid))); ok {
		params["subject"] = l.Subject
	}
	if err := (&Script{W: w}).Act(ctx, device, "action.client-opens", params); err != nil {
		return err
	}
	sess, err := dev.OpenIMAP(ctx, sec)
	if err != nil {
		return err
	}
	defer sess.Close()
	if err := sess.Read(ctx, uid); err != nil {
		return err
	}
	return sess.Logout()
}

// queueRunsAt flushes domain's outgoing queue once and notes what became
// of every item it touched (queueRuns for any provider).
func (s *Script) queueRunsAt(ctx context.Context, domain string) error {
	host := "smtp." + domain
	p := s.W.Provider(domain)
	if p == nil {
		return nil
	}
	if err := s.Act(ctx, host, "action.queue-runs", nil); err != nil {
		return err
	}
	q := p.Queue
	type key struct{ id, dom string }
	before := map[key][2]any{}
	for _, it := range q.Snapshot() {
		before[key{it.ID, it.Domain}] = [2]any{it.State, it.Attempts}
	}
	if err := q.Flush(ctx); err != nil {
		return err
	}
	for _, it := range q.Snapshot() {
		if old, seen := before[key{it.ID, it.Domain}]; seen && old == [2]any{it.State, it.Attempts} {
			continue
		}
		if code, params := queueNote(it, s.W.Now()); code != "" {
			if err := s.W.Note(ctx, host, code, params); err != nil {
				return err
			}
		}
	}
	return nil
}
