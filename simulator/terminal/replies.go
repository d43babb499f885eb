package terminal

import "strings"

// replies follows which server response answers which client line, only as
// far as needed to find the answer to a STARTTLS request: the user may type
// ahead (step mode holds every line), so the next response is not always
// the answer to the last line sent.
type replies interface {
	// sent notes a client line and reports whether it asks for STARTTLS.
	sent(line string) bool
	// received notes a server line; decided is true when the line is the
	// (final) answer to a STARTTLS request, ok when that answer agrees.
	received(line string) (decided, ok bool)
}

func newReplies(proto string) replies {
	switch proto {
	case "pop3":
		return &pop3Replies{queue: []pop3Wait{{}}} // the greeting
	case "imap":
		return &imapReplies{}
	}
	return &smtpReplies{queue: []smtpWait{smtpOther}} // the greeting
}

func verb(line string) string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return ""
	}
	return strings.ToUpper(f[0])
}

// smtpWait is what an expected SMTP reply answers.
type smtpWait int

const (
	smtpOther smtpWait = iota
	smtpStartTLS
	smtpData
)

// smtpReplies: every command line and every SASL response gets exactly one
// reply (RFC 5321 §4.2, RFC 4954 §4); the lines of a DATA body get none
// until the final dot (RFC 5321 §4.1.1.4).
type smtpReplies struct {
	queue []smtpWait
	body  bool
}

func (r *smtpReplies) sent(line string) bool {
	if r.body {
		if line == "." {
			r.body = false
			r.queue = append(r.queue, smtpOther)
		}
		return false
	}
	v := verb(line)
	// go-smtp takes every line that begins with STARTTLS for the command
	// (so does "STARTTLSX"): expect the upgrade whenever it will.
	if strings.HasPrefix(v, "STARTTLS") {
		r.queue = append(r.queue, smtpStartTLS)
		return true
	}
	switch v {
	case "DATA":
		// Assume the 354: a user types the body after seeing it.
		r.body = true
		r.queue = append(r.queue, smtpData)
		return false
	}
	r.queue = append(r.queue, smtpOther)
	return false
}

func (r *smtpReplies) received(line string) (bool, bool) {
	// Only the last line of a multi-line reply ("250 ", not "250-")
	// completes it (RFC 5321 §4.2.1).
	if len(line) < 3 || strings.Trim(line[:3], "0123456789") != "" || len(line) > 3 && line[3] == '-' {
		return false, false
	}
	if len(r.queue) == 0 {
		return false, false
	}
	w := r.queue[0]
	r.queue = r.queue[1:]
	switch w {
	case smtpStartTLS:
		return true, line[:3] == "220" // RFC 3207 §4
	case smtpData:
		if line[:3] != "354" {
			r.body = false
		}
	}
	return false, false
}

// pop3Wait is what an expected POP3 response answers.
type pop3Wait struct {
	startTLS bool
	multi    bool // a positive answer goes on until a line "." (RFC 1939 §3)
}

// pop3Replies: every command and every SASL response gets one response
// (RFC 1939 §3, RFC 5034 §4); some positive ones are multi-line.
type pop3Replies struct {
	queue   []pop3Wait
	inMulti bool
}

func (r *pop3Replies) sent(line string) bool {
	f := strings.Fields(line)
	v := verb(line)
	w := pop3Wait{startTLS: v == "STLS"}
	switch v {
	case "CAPA", "RETR", "TOP":
		w.multi = true
	case "LIST", "UIDL", "AUTH": // without an argument: the whole list
		w.multi = len(f) == 1
	}
	r.queue = append(r.queue, w)
	return w.startTLS
}

func (r *pop3Replies) received(line string) (bool, bool) {
	if r.inMulti {
		r.inMulti = line != "."
		return false, false
	}
	if len(r.queue) == 0 {
		return false, false
	}
	w := r.queue[0]
	r.queue = r.queue[1:]
	positive := strings.HasPrefix(line, "+OK")
	if w.startTLS {
		return true, positive // RFC 2595 §4
	}
	r.inMulti = w.multi && positive
	return false, false
}

// imapReplies: the tagged response with the request's tag answers it
// (RFC 9051 §2.2.2).
type imapReplies struct {
	tag string
}

func (r *imapReplies) sent(line string) bool {
	f := strings.Fields(line)
	if len(f) != 2 || !strings.EqualFold(f[1], "STARTTLS") {
		return false
	}
	r.tag = f[0]
	return true
}

func (r *imapReplies) received(line string) (bool, bool) {
	if r.tag == "" {
		return false, false
	}
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != r.tag {
		return false, false
	}
	r.tag = ""
	return true, strings.EqualFold(f[1], "OK") // RFC 9051 §6.2.1
}
