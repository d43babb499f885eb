package scenario

import (
	"context"
	"strconv"
	"strings"
	"time"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

// ClientSendAs is ClientSend with the device's own connection security
// for submission (a world file's device security: starttls, implicit or
// plain), as a troubleshooting challenge's test mail goes out: a client
// set to plain on 587 sends AUTH before STARTTLS.
func ClientSendAs(ctx context.Context, w *world.World, device string, d mua.Draft, route Route, sec mua.Security) error {
	if route == RouteDirect || sec == "" || sec == mua.StartTLS {
		return ClientSend(ctx, w, device, d, route)
	}
	dev := w.Device(device)
	if dev == nil {
		return ErrUnknownDevice
	}
	s := &Script{W: w}
	params := map[string]string{"to": strings.Join(d.Recipients(), ", "), "subject": d.Subject,
		"port": string(route), "attachments": strconv.Itoa(len(d.Attachments))}
	if sec == mua.Implicit {
		params["port"] = string(RouteImplicit)
	}
	if err := s.Act(ctx, device, "action.client-sends", params); err != nil {
		return err
	}
	if err := dev.Submit(ctx, d, mua.SubmitOptions{Security: sec}); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		w.Note(ctx, device, "state.client-send-failed", map[string]string{"error": err.Error()})
		return err
	}
	domain := dev.Account.Address[strings.LastIndexByte(dev.Account.Address, '@')+1:]
	return s.queueRunsAt(ctx, domain)
}

// ClientCheckAs is ClientCheck with the device's own connection security
// ("" is STARTTLS).
func ClientCheckAs(ctx context.Context, w *world.World, device, proto string, leaveOnServer bool, sec mua.Security) error {
	return ClientCheckWith(ctx, w, device, CheckOptions{Protocol: proto, LeaveOnServer: leaveOnServer, Security: sec})
}

// CheckOptions are a mail client's settings for one check of mail.
type CheckOptions struct {
	Protocol      string // pop3 or imap
	LeaveOnServer bool   // POP3: keep a copy on the server
	// DeleteAfterDays, with LeaveOnServer: delete the copies downloaded at
	// least so many days ago by the world's clock (0: never).
	DeleteAfterDays int
	Security        mua.Security // "" is STARTTLS
}

// ClientCheckWith is ClientCheckAs with every setting of the device's
// mail client, "delete from the server after N days" too: the old copies
// go with DELE in the same session, and the transcript says how many.
func ClientCheckWith(ctx context.Context, w *world.World, device string, o CheckOptions) error {
	proto, leaveOnServer, sec := o.Protocol, o.LeaveOnServer, o.Security
	if sec == "" {
		sec = mua.StartTLS
	}
	dev := w.Device(device)
	if dev == nil {
		return ErrUnknownDevice
	}
	s := &Script{W: w}
	if proto == "imap" {
		if err := s.Act(ctx, device, "action.client-checks-imap", nil); err != nil {
			return err
		}
		sess, err := dev.OpenIMAP(ctx, sec)
		if err != nil {
			return err
		}
		defer sess.Close()
		if _, err := sess.Folders(ctx); err != nil { // as ClientCheck: the folder list first
			return err
		}
		if err := sess.Sync(ctx); err != nil {
			return err
		}
		if err := sess.Logout(); err != nil {
			return err
		}
		return w.Note(ctx, device, "state.client-synced", map[string]string{"count": strconv.Itoa(len(dev.Messages()))})
	}
	code := "action.client-checks-pop3"
	if leaveOnServer {
		code = "action.client-checks-pop3-keep"
	}
	if err := s.Act(ctx, device, code, nil); err != nil {
		return err
	}
	opts := mua.POP3Options{Security: sec, LeaveCopy: leaveOnServer, Now: w.Clock().Now}
	if leaveOnServer && o.DeleteAfterDays > 0 {
		opts.DeleteAfter = time.Duration(o.DeleteAfterDays) * 24 * time.Hour
	}
	r, err := dev.CheckPOP3(ctx, opts)
	if err != nil {
		return err
	}
	if r.Deleted > 0 {
		if err := w.Note(ctx, device, "state.pop3-deleted-old", map[string]string{"count": strconv.Itoa(r.Deleted),
			"days": strconv.Itoa(o.DeleteAfterDays)}); err != nil {
			return err
		}
	}
	return w.Note(ctx, device, "state.device-fetched", map[string]string{"count": strconv.Itoa(r.New)})
}

// QueueRunAt flushes domain's outgoing queue once as a step and notes what
// became of each item it touched (sent, deferred with the next retry,
// bounced).
func QueueRunAt(ctx context.Context, w *world.World, domain string) error {
	return (&Script{W: w}).queueRunsAt(ctx, domain)
}
