package scenario

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"

	"maillab/simulator/mua"
	"maillab/simulator/world"
)

func init() {
	register(Scenario{ID: "size-limit", Title: "scenario.size-limit.title",
		Summary: "scenario.size-limit.summary", Script: sizeLimit, World: withSmallMX})
}

// mxLimit is mx.example.net's SIZE limit in this lesson: tiny, so the
// messages that exceed it still fit on the screen (real servers take
// 10-50 MB; RFC 5321 §4.5.3.1.7 asks for at least 64 KB).
const mxLimit = 2000

func withSmallMX(o *world.Options) {
	simulatedTime(o)
	o.MXMaxMessageBytes = mxLimit
}

// sizeLimit: the MX advertises SIZE 2000 (RFC 1870). Alice's photo is
// bigger; smtp.example.org announces the real size in MAIL FROM and is
// refused at once with 552, so Alice gets a bounce. Then a stranger claims
// SIZE=100 and sends more than the limit anyway: the MX counts while it
// reads and refuses at the end of DATA, again with 552.
func sizeLimit(ctx context.Context, s *Script) error {
	d := aliceToBob(s.W.Now(), "Foto aus Kraków")
	d.Body = "Hi Bob,\r\n\r\na photo of the Sukiennice for you.\r\n\r\nAlice\r\n"
	d.Attachments = []mua.Attachment{{Name: "sukiennice.jpg", ContentType: "image/jpeg", Data: photo(2400)}}
	params := map[string]string{"to": "bob@example.net", "size": strconv.Itoa(len(d.Attachments[0].Data)),
		"name": d.Attachments[0].Name}
	if err := s.aliceSendsDraft(ctx, "action.alice-sends-attachment", d, mua.StartTLS, params); err != nil {
		return err
	}
	if err := s.queueRuns(ctx); err != nil {
		return err
	}
	return s.impostorLiesAboutSize(ctx)
}

// photo is n bytes that look like a JPEG: the SOI marker, then bytes that
// are the same in every run.
func photo(n int) []byte {
	out := []byte{0xFF, 0xD8, 0xFF, 0xE0}
	sum := sha256.Sum256([]byte("Sukiennice"))
	for len(out) < n {
		out = append(out, sum[:]...)
		sum = sha256.Sum256(sum[:])
	}
	return out[:n]
}

// lieSize is what the stranger claims in MAIL FROM.
const lieSize = 100

func (s *Script) impostorLiesAboutSize(ctx context.Context) error {
	body := oversizedSpam()
	params := map[string]string{"claimed": strconv.Itoa(lieSize), "size": strconv.Itoa(linesSize(body)),
		"mx": "mx.example.net"}
	if err := s.Act(ctx, "impostor", "action.impostor-lies-size", params); err != nil {
		return err
	}
	r, err := s.dialSMTP(ctx, "impostor", "mx.example.net", 25)
	if err != nil {
		return err
	}
	defer r.Close()
	steps := []struct {
		want int
		line string
	}{
		{250, "EHLO " + addressLiteral(r.conn)},
		{250, fmt.Sprintf("MAIL FROM:<%s> SIZE=%d", spammer, lieSize)},
		{250, "RCPT TO:<bob@example.net>"},
		{354, "DATA"},
	}
	for _, st := range steps {
		if _, err := r.expect(st.want, "%s", st.line); err != nil {
			return err
		}
	}
	if err := r.lines(body); err != nil {
		return err
	}
	if _, err := r.expect(552, "."); err != nil {
		return err
	}
	_, err = r.expect(221, "QUIT")
	return err
}

// oversizedSpam is a message of about 2.5 KB, well over mxLimit.
func oversizedSpam() []string {
	lines := []string{
		"From: <" + spammer + ">",
		"To: <bob@example.net>",
		"Subject: The offer of the year",
		"",
	}
	for i := 1; len(lines) < 44; i++ {
		lines = append(lines, fmt.Sprintf("Line %02d: this message said it had %d bytes, and it has many more.", i, lieSize))
	}
	return lines
}

func linesSize(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l) + 2
	}
	return n
}
