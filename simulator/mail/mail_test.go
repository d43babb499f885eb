package mail_test

import (
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"

	"maillab/simulator/mail"
)

func TestReceived(t *testing.T) {
	date := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		r    mail.Received
		want string
	}{
		{"submission under TLS", mail.Received{Helo: "laptop", Addr: "127.0.0.1", By: "smtp.example.org",
			With: mail.Protocol(false, true, true), TLS: "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256",
			For: "bob@example.net", Date: date},
			"Received: from laptop ([127.0.0.1])\r\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256)\r\n" +
				"\tby smtp.example.org (Maillab) with ESMTPSA\r\n\tfor <bob@example.net>; Mon, 02 Jun 2025 10:00:00 +0000"},
		{"plain relay, several recipients", mail.Received{Helo: "smtp.example.org", Addr: "127.0.0.2",
			By: "mx.example.net", With: mail.Protocol(false, false, false), ID: "ABC",
			For: mail.OneRecipient([]string{"a@x", "b@x"}), Date: date},
			"Received: from smtp.example.org ([127.0.0.2])\r\n\tby mx.example.net (Maillab) with ESMTP id ABC; " +
				"Mon, 02 Jun 2025 10:00:00 +0000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.r.Field()) })
	}
	assert.Equal(t, "LMTPS", mail.Protocol(true, true, false))
}

func TestAddresses(t *testing.T) {
	assert.Equal(t, "example.net", mail.Domain("Bob@Example.NET"))
	assert.Equal(t, "Bob", mail.Local("Bob@Example.NET"))
	assert.Equal(t, "", mail.Domain("postmaster"))
	assert.True(t, mail.SameAddress("Alice@example.org", "alice@EXAMPLE.org"))
	assert.False(t, mail.ValidAddress("bob@"))
	assert.True(t, mail.ValidAddress("bob@example.net"))
}

func TestHeaders(t *testing.T) {
	raw := []byte("Subject: hi\r\nDate: x\r\n\r\nbody\r\n")
	out := mail.Prepend(raw, "A: 1", "B: 2")
	assert.Equal(t, "A: 1\r\nB: 2\r\nSubject: hi\r\nDate: x\r\n\r\nbody\r\n", string(out))
	h := mail.Header(out)
	assert.True(t, h.Has("date"))
	assert.False(t, h.Has("Message-Id"))
	assert.Equal(t, "Subject: hi\r\nDate: x\r\n\r\n", string(mail.HeaderSection(raw)))
	assert.Equal(t, "no body", string(mail.HeaderSection([]byte("no body"))))
	g := mail.Header([]byte("\x00garbage without colon\r\n"))
	assert.False(t, g.Has("x"), "no panic on garbage")
}

func TestReplies(t *testing.T) {
	e := mail.ParseReply(550, "5.1.1 <b@x>: User unknown")
	assert.Equal(t, &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<b@x>: User unknown"}, e)
	assert.Equal(t, "550 5.1.1 <b@x>: User unknown", mail.Reply(e))
	assert.Equal(t, "454 TLS not available", mail.Reply(mail.ParseReply(454, "TLS not available")))
	_, ok := mail.AsSMTPError(assert.AnError)
	assert.False(t, ok)
}
