package explain

import (
	"strconv"
	"strings"

	"maillab/simulator/event"
)

// smtpState follows one SMTP, submission or LMTP connection. Replies are
// matched to commands in order (RFC 5321 §4.3.1; with PIPELINING several
// commands may be in flight, RFC 2920).
type smtpState struct {
	greeted  bool
	pending  []smtpCmd // commands still waiting for their reply, oldest first
	inReply  bool      // the previous server line was "NNN-": the reply goes on
	replyTo  smtpCmd   // the command the current reply answers
	replyRow int       // line number within a multi-line reply
	sasl     string    // the challenge an AUTH exchange waits on: "username", "password", "empty", "other"
	data     bool      // between 354 and the lone dot
	bdat     int       // octets of a BDAT chunk still to come (RFC 3030 §2)
	msg      msgState
	rcpts    []string // recipients accepted in this transaction (LMTP answers for each)
	// restarted: STARTTLS succeeded, so the client must say EHLO again and
	// forget what it learned before (RFC 3207 §4.2).
	restarted bool
	chunking  bool // a BDAT transfer has begun
	size      sizeCount
}

// smtpCmd is a command, or the end of the mail data, waiting for a reply.
type smtpCmd struct {
	verb    string // EHLO, MAIL, ..., "." for the end of data
	mailbox string // MAIL/RCPT path; for "." in LMTP the recipient
	arg     string
	last    bool // BDAT ... LAST
}

func (t *Tracker) smtpLine(ev event.Event) Explanation {
	s := &t.smtp
	var x Explanation
	if ev.Dir == event.ClientToServer {
		x = t.smtpClient(ev)
	} else {
		x = t.smtpServer(ev)
	}
	t.ctx.InData = s.data || s.bdat > 0
	return x
}

func (t *Tracker) smtpClient(ev event.Event) Explanation {
	s := &t.smtp
	switch {
	case s.bdat > 0:
		s.bdat -= rawLen(ev)
		return s.msg.line(ev.Text)
	case s.data:
		s.size.count(ev)
		return t.smtpData(ev.Text)
	case s.sasl != "":
		return s.saslResponse(ev.Text)
	}
	cmd, x := smtpCommand(ev.Text, t.ctx.Proto, s.restarted)
	t.ctx.LastClientCommand = cmd.verb
	if cmd.verb == "MAIL" {
		s.size = sizeCount{declared: x.Params["size"]}
	}
	if cmd.verb == "EHLO" || cmd.verb == "HELO" || cmd.verb == "LHLO" {
		s.restarted = false
	}
	s.pending = append(s.pending, cmd)
	if cmd.verb == "BDAT" {
		n, _ := strconv.Atoi(cmd.arg)
		s.bdat = n
		if !s.chunking {
			s.msg, s.chunking = msgState{}, true
		}
	}
	return x
}

// smtpData explains a line between 354 and the dot (RFC 5321 §4.1.1.4).
func (t *Tracker) smtpData(text string) Explanation {
	s := &t.smtp
	if text == "." {
		s.data = false
		t.ctx.LastClientCommand = "."
		if t.ctx.Proto == "lmtp" && len(s.rcpts) > 0 {
			// One reply per accepted recipient follows (RFC 2033 §4.2).
			for _, r := range s.rcpts {
				s.pending = append(s.pending, smtpCmd{verb: ".", mailbox: r})
			}
			return s.size.check(ex("lmtp.data.end", "count", strconv.Itoa(len(s.rcpts))))
		}
		s.pending = append(s.pending, smtpCmd{verb: "."})
		return s.size.check(ex("smtp.data.end"))
	}
	if strings.HasPrefix(text, ".") {
		// Dot-stuffing: the sender doubled a leading dot (RFC 5321 §4.5.2).
		return s.msg.line(text[1:]).with("smtp.dot-stuffed")
	}
	return s.msg.line(text)
}

func (s *smtpState) saslResponse(text string) Explanation {
	challenge := s.sasl
	s.sasl = ""
	if strings.TrimSpace(text) == "*" {
		return ex("smtp.sasl.cancel")
	}
	switch challenge {
	case "username":
		return ex("smtp.sasl.username")
	case "password":
		return ex("smtp.sasl.password")
	case "empty":
		return ex("smtp.sasl.plain")
	}
	return ex("smtp.sasl.response")
}

// rawLen is the number of octets the line took on the wire (CRLF
// included), for counting BDAT chunks and IMAP literals.
func rawLen(ev event.Event) int {
	if len(ev.Raw) > 0 {
		return len(ev.Raw) + int(ev.Omitted) // a cut line keeps its ends in Raw
	}
	return len(ev.Text) + 2
}
