package mta

import (
	"fmt"

	"maillab/simulator/mail"
)

// outcome is what one attempt meant for a recipient.
type outcome struct {
	class  int    // 2 delivered, 4 try again, 5 failed for good (RFC 5321 §4.2.1)
	status string // enhanced status code (RFC 3463), e.g. "5.1.1"
	reply  string // the server's reply line, or what went wrong locally
	smtp   bool   // reply came from the remote server (Diagnostic-Code: smtp)
	remote string // MX host name, "" when none was reached
	ip     string
	stage  string // the command the reply answered: "RCPT TO", "end of DATA"
}

// fromError classifies err from the SMTP client at stage.
func fromError(err error, host, ip, stage string) outcome {
	if e, ok := mail.AsSMTPError(err); ok {
		o := outcome{class: e.Code / 100, reply: mail.Reply(e), smtp: true, remote: host, ip: ip, stage: stage}
		if o.class != 5 {
			o.class = 4 // anything but a 5xx is worth another try
		}
		o.status = fmt.Sprintf("%d.0.0", o.class)
		if c := e.EnhancedCode; c[0] == o.class {
			o.status = fmt.Sprintf("%d.%d.%d", c[0], c[1], c[2])
		}
		return o
	}
	// RFC 3463 §3.5: X.4.2 bad connection.
	return outcome{class: 4, status: "4.4.2", reply: "lost connection with " + host + "[" + ip + "] while sending " + stage + ": " + err.Error(),
		remote: host, ip: ip, stage: stage}
}

// local is a failure before any SMTP server answered (DNS, connect).
func local(class int, status, reply string) outcome {
	return outcome{class: class, status: status, reply: reply}
}

// explain is the line of the DSN's human-readable part for one recipient.
func (o outcome) explain() string {
	if !o.smtp {
		return o.reply
	}
	return fmt.Sprintf("host %s[%s] said: %s (in reply to %s command)", o.remote, o.ip, o.reply, o.stage)
}
