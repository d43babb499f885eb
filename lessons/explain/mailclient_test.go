package explain

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mua"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// TestMailClientLinesAreExplained: every line the built-in mail client
// causes (a MIME message with all three sample files and an RFC 2047
// subject, on 587, 465 and straight to the MX on 25, refused and
// accepted, then POP3 and IMAP checks) gets a specific explanation.
func TestMailClientLinesAreExplained(t *testing.T) {
	dump := os.Getenv("EXPLAIN_DUMP") != ""
	for _, checks := range []bool{true, false} {
		t.Run(fmt.Sprintf("checks=%v", checks), func(t *testing.T) {
			w, err := world.Start(world.Options{ExtraDevices: true, NoAuthChecks: !checks, AuthFailureDelay: -1})
			require.NoError(t, err)
			defer w.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var files []mua.Attachment
			for _, n := range mua.SampleNames() {
				f, _ := mua.Sample(n)
				files = append(files, f)
			}
			// an uploaded file with a non-ASCII name (RFC 2231 filename*=)
			files = append(files, mua.Attachment{Name: "Życzenia für Bob.txt", ContentType: "text/plain", Data: []byte("x")})
			d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Cc: []string{"carol@example.net"},
				Bcc: []string{"dave@example.net"}, Subject: "Grüße aus Łódź", Body: "Zażółć gęślą jaźń\r\n",
				Attachments: files, Date: time.Now()}
			for _, r := range scenario.Routes {
				err := scenario.ClientSend(ctx, w, "alice-laptop", d, r)
				if r != scenario.RouteDirect || !checks {
					require.NoError(t, err, r)
				}
			}
			require.NoError(t, scenario.ClientCheck(ctx, w, "bob-phone", "imap", false))
			require.NoError(t, scenario.ClientCheck(ctx, w, "bob-laptop", "pop3", true))
			require.NoError(t, scenario.ClientCheck(ctx, w, "carol-laptop", "pop3", false))
			log := w.Conductor.Log()
			xs := ForLog(log)
			for _, ev := range log {
				if !explained(ev) {
					continue
				}
				x, ok := xs[ev.Seq]
				line := fmt.Sprintf("#%d %s %s: %q", ev.Conn, ev.Proto, ev.Dir, ev.Text)
				if !assert.True(t, ok, "no explanation for %s", line) {
					continue
				}
				if dump {
					fmt.Printf("%-60.60s %s %v %s\n", line, x.Key, x.Details, x.Params)
				}
				assert.False(t, x.Generic, "generic explanation for %s", line)
				assert.NotEmpty(t, x.RFC, "no RFC for %s (%s)", line, x.Key)
				checkTexts(t, x, line)
			}
		})
	}
}
