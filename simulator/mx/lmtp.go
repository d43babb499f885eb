package mx

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

// clientTimeout bounds each LMTP command. Generous: a teacher may hold a
// line for minutes.
const clientTimeout = 30 * time.Minute

// LMTP is the Deliverer that talks RFC 2033 to the MDA over a real
// connection.
type LMTP struct {
	Hostname string // said in LHLO
	Addr     string
	Dial     DialFunc
}

var _ Deliverer = (*LMTP)(nil)

// Deliver runs one LMTP transaction. Recipients refused at RCPT and those
// failing after DATA get their own error; err covers connection trouble.
func (l *LMTP) Deliver(ctx context.Context, env mail.Envelope, raw []byte) (map[string]error, error) {
	conn, err := l.Dial(ctx, "tcp", l.Addr)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c := smtp.NewClientLMTP(conn)
	c.CommandTimeout, c.SubmissionTimeout = clientTimeout, clientTimeout
	defer c.Close()

	if err := c.Hello(l.Hostname); err != nil {
		return nil, err
	}
	if err := c.Mail(env.From, nil); err != nil {
		return nil, err
	}
	per, accepted, err := rcpts(c, env.To)
	if err != nil || len(accepted) == 0 {
		return per, err
	}
	if err := data(c, raw, accepted, per); err != nil {
		return nil, err
	}
	c.Quit()
	return per, nil
}

// rcpts sends RCPT for each recipient; an SMTP refusal is that recipient's
// status, anything else ends the transaction.
func rcpts(c *smtp.Client, to []string) (map[string]error, []string, error) {
	per := map[string]error{}
	var accepted []string
	for _, rcpt := range to {
		err := c.Rcpt(rcpt, nil)
		if _, ok := mail.AsSMTPError(err); err != nil && !ok {
			return nil, nil, err
		}
		per[rcpt] = err
		if err == nil {
			accepted = append(accepted, rcpt)
		}
	}
	return per, accepted, nil
}

// data sends the message and reads one reply per accepted recipient
// (RFC 2033 §4.2).
func data(c *smtp.Client, raw []byte, accepted []string, per map[string]error) error {
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, bytes.NewReader(raw)); err != nil {
		return err
	}
	_, err = w.CloseWithLMTPResponse()
	// Only a plain LMTPDataError carries a reply for every recipient; joined
	// with an I/O error, some replies are missing and nothing can be trusted.
	lerr, ok := err.(smtp.LMTPDataError)
	if err != nil && !ok {
		return err
	}
	for _, rcpt := range accepted {
		if e, ok := lerr[rcpt]; ok {
			per[rcpt] = e
		}
	}
	return nil
}
