package explain

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	"maillab/simulator/event"
)

// smtpServer explains a reply line. Every reply answers the oldest
// command still waiting; the greeting answers none (RFC 5321 §3.1, §4.2).
func (t *Tracker) smtpServer(ev event.Event) Explanation {
	s := &t.smtp
	code, more, text, ok := parseReply(ev.Text)
	if !ok {
		return generic(ev)
	}
	if s.inReply {
		s.replyRow++
	} else {
		s.replyRow = 0
		s.replyTo = smtpCmd{}
		if len(s.pending) > 0 {
			s.replyTo = s.pending[0]
		}
	}
	s.inReply = more
	greeting := !s.greeted && (s.replyTo.verb == "" || code == 220 || code == 421 || code == 554)
	cmd := s.replyTo
	if greeting {
		cmd = smtpCmd{}
	}
	t.ctx.Answering = cmd.verb
	x := s.reply(code, text, cmd, t.ctx.Proto).param("code", strconv.Itoa(code))
	x.Class = strconv.Itoa(code/100) + "xx"
	x = withEnhanced(x, code, text)
	if !more {
		s.afterReply(code, text, cmd, greeting)
	}
	return x
}

// parseReply splits "250-text" / "250 text" / "250" (RFC 5321 §4.2).
func parseReply(line string) (code int, more bool, text string, ok bool) {
	if len(line) < 3 {
		return 0, false, "", false
	}
	code, err := strconv.Atoi(line[:3])
	if err != nil || code < 200 || code > 599 {
		return 0, false, "", false
	}
	if len(line) == 3 {
		return code, false, "", true
	}
	switch line[3] {
	case '-':
		return code, true, line[4:], true
	case ' ':
		return code, false, line[4:], true
	}
	return 0, false, "", false
}

// afterReply moves the session on once a reply is complete.
func (s *smtpState) afterReply(code int, text string, cmd smtpCmd, greeting bool) {
	if greeting {
		s.greeted = true
		return
	}
	if cmd.verb == "" {
		return
	}
	if code == 334 {
		// Not the end of AUTH: the server waits for a response line.
		s.sasl = challengeKind(text)
		return
	}
	s.pending = s.pending[1:]
	ok := code/100 == 2
	switch cmd.verb {
	case "EHLO", "HELO", "LHLO", "RSET":
		s.endTransaction()
	case "MAIL":
		s.rcpts = nil
	case "RCPT":
		if ok {
			s.rcpts = append(s.rcpts, cmd.mailbox)
		}
	case "DATA":
		if code == 354 {
			s.data, s.msg = true, msgState{}
		}
	case ".":
		if len(s.pending) == 0 || s.pending[0].verb != "." {
			s.endTransaction()
		}
	case "BDAT":
		if cmd.last || !ok {
			s.endTransaction()
		}
	case "STARTTLS":
		if code == 220 {
			s.restarted = true
			s.endTransaction()
		}
	}
}

func (s *smtpState) endTransaction() {
	s.rcpts, s.chunking, s.bdat = nil, false, 0
}

// reply picks the key for a reply line.
func (s *smtpState) reply(code int, text string, cmd smtpCmd, proto string) Explanation {
	if (cmd.verb == "EHLO" || cmd.verb == "LHLO") && code == 250 {
		if s.replyRow == 0 {
			return helloLine(text, cmd, proto)
		}
		return ehloKeyword(text)
	}
	if cmd.verb == "." && proto == "lmtp" {
		return lmtpRecipient(code, cmd.mailbox)
	}
	switch code {
	case 220:
		return reply220(text, cmd, proto)
	case 250:
		return reply250(text, cmd, proto)
	case 334:
		return reply334(text)
	case 421:
		if x, ok := reply421(text); ok {
			return x
		}
	case 450:
		if m := tooManyAuth.FindStringSubmatch(text); m != nil {
			return ex("smtp.reply.450.auth", "addr", m[1])
		}
		if strings.Contains(strings.ToLower(text), "greylisted") {
			return ex("smtp.reply.450.greylist")
		}
	case 530:
		if strings.Contains(strings.ToUpper(text), "STARTTLS") {
			return ex("smtp.reply.530.starttls")
		}
		return ex("smtp.reply.530.auth")
	case 554:
		if cmd.verb == "" && !s.greeted {
			return ex("smtp.reply.554.greeting")
		}
	case 251:
		return ex("smtp.reply.251", "mailbox", cmd.mailbox)
	case 550:
		if strings.Contains(text, "DMARC") {
			return ex("smtp.reply.550.dmarc")
		}
		if cmd.verb == "RCPT" && strings.Contains(strings.ToLower(text), "relay") {
			return ex("smtp.reply.550.relay")
		}
	}
	key := "smtp.reply." + strconv.Itoa(code)
	if _, ok := table[key]; ok {
		return ex(key)
	}
	return ex("smtp.reply.class." + strconv.Itoa(code/100) + "xx")
}

var (
	tooManyFrom = regexp.MustCompile(`(?i)too many connections from (\S+)`)
	tooManyAuth = regexp.MustCompile(`(?i)too many AUTH commands from (\S+)`)
)

// reply421 tells Postfix's reasons for closing apart: one address's
// connection limit, the idle timeout, and too many wrong passwords.
func reply421(text string) (Explanation, bool) {
	lower := strings.ToLower(text)
	switch {
	case tooManyFrom.MatchString(text):
		return ex("smtp.reply.421.addr", "addr", tooManyFrom.FindStringSubmatch(text)[1]), true
	case strings.Contains(lower, "timeout exceeded"):
		return ex("smtp.reply.421.timeout"), true
	case strings.Contains(lower, "too many authentication failures"):
		return ex("smtp.reply.421.authfail"), true
	}
	return Explanation{}, false
}

func reply220(text string, cmd smtpCmd, proto string) Explanation {
	if cmd.verb == "STARTTLS" {
		return ex("smtp.reply.220.starttls")
	}
	server, _, _ := strings.Cut(text, " ")
	if proto == "lmtp" {
		// The delivery agent's greeting: LMTP opens like SMTP, and the
		// client answers with LHLO (RFC 2033 §4, §4.1).
		return ex("lmtp.reply.220.greeting", "server", server)
	}
	return ex("smtp.reply.220.greeting", "server", server)
}

var queuedAs = regexp.MustCompile(`(?i)queued as ([A-Za-z0-9._-]+)`)

func reply250(text string, cmd smtpCmd, proto string) Explanation {
	switch cmd.verb {
	case "HELO":
		server, _, _ := strings.Cut(text, " ")
		return ex("smtp.reply.250.helo", "server", server)
	case "MAIL":
		return ex("smtp.reply.250.mail", "mailbox", cmd.mailbox)
	case "RCPT":
		return ex("smtp.reply.250.rcpt", "mailbox", cmd.mailbox)
	case ".":
		return acceptedForDelivery(text)
	case "BDAT":
		if cmd.last {
			return acceptedForDelivery(text)
		}
		return ex("smtp.reply.250.bdat", "size", cmd.arg)
	case "RSET", "NOOP", "VRFY":
		return ex("smtp.reply.250." + strings.ToLower(cmd.verb))
	}
	return ex("smtp.reply.250")
}

// acceptedForDelivery: 250 after the data; from now on the server is
// responsible for the message (RFC 5321 §6.1).
func acceptedForDelivery(text string) Explanation {
	if m := queuedAs.FindStringSubmatch(text); m != nil {
		return ex("smtp.reply.250.queued", "id", m[1])
	}
	return ex("smtp.reply.250.data")
}

// reply334 decodes the base64 challenge of AUTH (RFC 4954 §4).
func reply334(text string) Explanation {
	switch challengeKind(text) {
	case "username":
		return ex("smtp.reply.334.username")
	case "password":
		return ex("smtp.reply.334.password")
	case "empty":
		return ex("smtp.reply.334.empty")
	}
	return ex("smtp.reply.334.challenge", "challenge", decodeChallenge(text))
}

func challengeKind(text string) string {
	switch strings.ToLower(decodeChallenge(text)) {
	case "":
		return "empty"
	case "username:", "user name", "username":
		return "username"
	case "password:", "password":
		return "password"
	}
	return "other"
}

func decodeChallenge(text string) string {
	text = strings.TrimSpace(text)
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return text
	}
	return string(b)
}

// lmtpRecipient: after the dot an LMTP server answers once per accepted
// recipient, in RCPT order (RFC 2033 §4.2).
func lmtpRecipient(code int, mailbox string) Explanation {
	switch code / 100 {
	case 2:
		return ex("lmtp.reply.rcpt.ok", "mailbox", mailbox)
	case 4:
		return ex("lmtp.reply.rcpt.temp", "mailbox", mailbox)
	}
	return ex("lmtp.reply.rcpt.perm", "mailbox", mailbox)
}

// helloLine is the first line of the EHLO/LHLO reply: "host Hello client".
// The reply to LHLO is LMTP's (RFC 2033 §4.1), whatever its wording; the
// reply to EHLO on port 25 says what a receiving MTA can do with the name
// the client gave (see helloCheck).
func helloLine(text string, cmd smtpCmd, proto string) Explanation {
	server, rest, _ := strings.Cut(text, " ")
	client := ""
	if i := strings.Index(strings.ToLower(rest), "hello "); i >= 0 {
		client = strings.TrimSpace(rest[i+len("hello "):])
	}
	key := "smtp.ehlo.hello"
	if cmd.verb == "LHLO" || proto == "lmtp" {
		key = "lmtp.lhlo.hello"
	}
	if client == "" {
		return ex(key+".short", "server", server)
	}
	x := ex(key, "server", server, "client", client)
	if proto == "smtp" && cmd.verb == "EHLO" {
		x = helloCheck(x, cmd.arg)
	}
	return x
}
