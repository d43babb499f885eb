package mta

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-message"

	"maillab/simulator/mail"
)

// buildDSN writes a delivery status notification (RFC 3464) for the failed
// recipients: multipart/report (RFC 6522) with a human-readable part, the
// message/delivery-status part and the returned header section.
func (q *Queue) buildDSN(e *entry, failed []int, now time.Time) []byte {
	var b bytes.Buffer
	w, err := message.CreateWriter(&b, q.dsnHeader(e, now))
	if err == nil {
		err = q.writeDSNParts(w, e, failed, now)
	}
	if err != nil {
		// Only a bug gets here: the parts are plain text we wrote ourselves.
		panic("mta: building a DSN: " + err.Error())
	}
	return b.Bytes()
}

func (q *Queue) dsnHeader(e *entry, now time.Time) message.Header {
	var h message.Header
	// go-message writes fields in reverse order of adding them, and AddRaw
	// keeps the spelling ("Message-ID", not "Message-Id").
	h.SetContentType("multipart/report", map[string]string{
		"report-type": "delivery-status",
		"boundary":    e.item.ID + "." + e.item.Domain + "/" + q.opts.Hostname,
	})
	fields := []string{
		"From: Mail Delivery System <MAILER-DAEMON@" + q.localDomain() + ">",
		"To: <" + e.item.From + ">",
		"Subject: Undelivered Mail Returned to Sender",
		"Date: " + now.Format(mail.DateLayout),
		"Message-ID: <" + e.item.ID + "." + e.item.Domain + ".dsn@" + q.opts.Hostname + ">",
		"Auto-Submitted: auto-replied", // RFC 3834 §5: no automatic reply to this
		"MIME-Version: 1.0",
	}
	for i := len(fields) - 1; i >= 0; i-- {
		h.AddRaw([]byte(fields[i] + "\r\n"))
	}
	return h
}

// localDomain is where MAILER-DAEMON lives: LocalDomain, or the Hostname
// without its first label.
func (q *Queue) localDomain() string {
	if q.opts.LocalDomain != "" {
		return q.opts.LocalDomain
	}
	if _, d, ok := strings.Cut(q.opts.Hostname, "."); ok {
		return d
	}
	return q.opts.Hostname
}

func (q *Queue) writeDSNParts(w *message.Writer, e *entry, failed []int, now time.Time) error {
	parts := []struct{ ctype, body string }{
		{"text/plain", q.humanText(e, failed)},
		{"message/delivery-status", q.statusFields(e, failed, now)},
		{"text/rfc822-headers", string(mail.HeaderSection(e.raw))},
	}
	for _, p := range parts {
		var h message.Header
		params := map[string]string{}
		if p.ctype == "text/plain" {
			params["charset"] = "us-ascii"
		}
		h.SetContentType(p.ctype, params)
		pw, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		if _, err := pw.Write([]byte(p.body)); err != nil {
			return err
		}
		pw.Close()
	}
	return w.Close()
}

// humanText is the first part, for the person who sent the message.
func (q *Queue) humanText(e *entry, failed []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "This is the mail system at host %s.\r\n\r\n", q.opts.Hostname)
	b.WriteString("I'm sorry to have to inform you that your message could not\r\n" +
		"be delivered to one or more recipients. Its header is attached below.\r\n\r\n")
	for _, i := range failed {
		r, o := e.item.To[i], e.last[i]
		b.WriteString(wrap(fmt.Sprintf("<%s>: %s", r.Addr, o.explain()), 72))
		if o.class == 4 && !e.item.Expired {
			// Postfix's expired mail says no more than the last reason.
			fmt.Fprintf(&b, "    (gave up after %d attempts)\r\n", e.item.Attempts)
		}
	}
	return b.String()
}

// statusFields is the message/delivery-status body: per-message fields,
// then one block per recipient (RFC 3464 §2.2, §2.3).
func (q *Queue) statusFields(e *entry, failed []int, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reporting-MTA: dns; %s\r\n", q.opts.Hostname)
	fmt.Fprintf(&b, "Arrival-Date: %s\r\n", e.item.Arrived.Format(mail.DateLayout))
	for _, i := range failed {
		o := e.last[i]
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; %s\r\n", e.item.To[i].Addr)
		b.WriteString("Action: failed\r\n")
		fmt.Fprintf(&b, "Status: %s\r\n", o.status)
		if o.remote != "" {
			fmt.Fprintf(&b, "Remote-MTA: dns; %s\r\n", o.remote)
		}
		if o.smtp {
			fmt.Fprintf(&b, "Diagnostic-Code: smtp; %s\r\n", o.reply)
		}
		fmt.Fprintf(&b, "Last-Attempt-Date: %s\r\n", now.Format(mail.DateLayout))
	}
	return b.String()
}

// wrap breaks text into lines of about width columns, continued lines
// indented, as Postfix's bounce text does.
func wrap(text string, width int) string {
	var b strings.Builder
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			b.WriteString(line + "\r\n")
			line = "   "
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return b.String() + line + "\r\n"
}
