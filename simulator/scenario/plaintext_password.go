package scenario

import (
	"context"
	"encoding/base64"
	"strconv"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func init() {
	register(Scenario{ID: "plaintext-password", Title: "scenario.plaintext-password.title",
		Summary: "scenario.plaintext-password.summary", Script: plaintextPassword, World: withInsecureAuth})
}

// withInsecureAuth configures example.org as one careless provider that
// takes passwords before TLS on 587, 110 and 143; example.net stays as a
// well-run provider is (and as every provider is outside this lesson).
func withInsecureAuth(o *world.Options) {
	// example.org's MSA, POP3 and IMAP all take a password in clear;
	// the run's first note says so.
	simulatedTime(o)
	o.InsecureAuth = []string{"example.org"}
}

// plaintextPassword: Alice sends and checks her mail three times, without
// any encryption (587 without STARTTLS, 110 without STLS: her password
// crosses the network readable by anyone on the way), with STARTTLS/STLS,
// and with implicit TLS (465, 995). The queue then relays the three mails.
// Last, Bob's mail program tries AUTH without STARTTLS at his own,
// correctly configured provider and is refused with 530 5.7.0.
func plaintextPassword(ctx context.Context, s *Script) error {
	if err := s.W.Note(ctx, "mail.example.org", "state.insecure-auth", map[string]string{"domain": "example.org",
		"strict": "example.net"}); err != nil {
		return err
	}
	for _, sec := range []mua.Security{mua.Plain, mua.StartTLS, mua.Implicit} {
		if err := s.aliceSendsWith(ctx, sec); err != nil {
			return err
		}
		if err := s.aliceFetchesWith(ctx, sec); err != nil {
			return err
		}
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	if err := s.bobTriesPlainAuth(ctx); err != nil {
		return err
	}
	return s.bobTriesPlainPOP3(ctx)
}

var (
	submitPort = map[mua.Security]string{mua.Plain: "587", mua.StartTLS: "587", mua.Implicit: "465"}
	pop3Port   = map[mua.Security]string{mua.Plain: "110", mua.StartTLS: "110", mua.Implicit: "995"}
)

func (s *Script) aliceSendsWith(ctx context.Context, sec mua.Security) error {
	code := "action.alice-sends"
	if sec == mua.Plain {
		code = "action.alice-sends-plain"
	}
	d := aliceToBob(s.W.Now(), demoSubject)
	params := map[string]string{"subject": d.Subject, "to": "bob@example.net", "security": string(sec),
		"port": submitPort[sec]}
	return s.aliceSendsDraft(ctx, code, d, sec, params)
}

func (s *Script) aliceFetchesWith(ctx context.Context, sec mua.Security) error {
	code := "action.alice-fetches"
	if sec == mua.Plain {
		code = "action.alice-fetches-plain"
	}
	params := map[string]string{"security": string(sec), "port": pop3Port[sec]}
	if err := s.Act(ctx, "alice-laptop", code, params); err != nil {
		return err
	}
	n, err := s.W.Device("alice-laptop").FetchPOP3(ctx, mua.POP3Options{Security: sec, LeaveCopy: true})
	if err != nil {
		return err
	}
	return s.W.Note(ctx, "alice-laptop", "state.device-fetched", map[string]string{"count": strconv.Itoa(n)})
}

// bobTriesPlainAuth types what a careless client would send to port 587
// without STARTTLS: EHLO shows no AUTH, and AUTH anyway gets 530 5.7.0
// (RFC 4954 §4, RFC 3207 §4; Postfix's smtpd_tls_auth_only). The password
// has crossed the wire all the same.
func (s *Script) bobTriesPlainAuth(ctx context.Context) error {
	if err := s.Act(ctx, "bob-laptop", "action.bob-tries-plain-auth", map[string]string{"host": "smtp.example.net"}); err != nil {
		return err
	}
	r, err := s.dialSMTP(ctx, "bob-laptop", "smtp.example.net", 587)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := r.expect(250, "EHLO %s", addressLiteral(r.conn)); err != nil {
		return err
	}
	ir := base64.StdEncoding.EncodeToString([]byte("\x00bob@example.net\x00builder"))
	if _, err := r.expect(530, "AUTH PLAIN %s", ir); err != nil {
		return err
	}
	_, err = r.expect(221, "QUIT")
	return err
}

// bobTriesPlainPOP3 is the classic telnet exercise at a well-run
// provider: CAPA lists no USER before STLS, and USER anyway is answered
// -ERR [AUTH] (RFC 2595 §4, RFC 2449 §8, RFC 8314).
func (s *Script) bobTriesPlainPOP3(ctx context.Context) error {
	if err := s.Act(ctx, "bob-laptop", "action.bob-tries-plain-pop3", map[string]string{"host": "mail.example.net",
		"port": "110"}); err != nil {
		return err
	}
	r, err := s.dialPOP3(ctx, "bob-laptop", "mail.example.net", 110)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := r.expect(true, true, "CAPA"); err != nil {
		return err
	}
	if _, err := r.expect(false, false, "USER bob@example.net"); err != nil {
		return err
	}
	_, err = r.expect(true, false, "QUIT")
	return err
}
