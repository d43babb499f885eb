package mua

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var date = time.Date(2025, 6, 2, 10, 30, 0, 0, time.FixedZone("CEST", 2*3600))

func draft() Draft {
	return Draft{
		From: "alice@example.org", FromName: "Alice",
		To: []string{"bob@example.net"}, Cc: []string{"carol@example.net"}, Bcc: []string{"dave@example.com"},
		Subject: "Grüße aus Kraków", Body: "Hallo Bob,\r\nbis bald!\r\n", Date: date,
	}
}

// header returns the raw header section of a message.
func header(raw []byte) string {
	h, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	return h
}

func compose(t *testing.T, d Draft) ([]byte, *gomail.Reader) {
	t.Helper()
	raw, err := d.Compose()
	require.NoError(t, err, "Compose()")
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	require.NoError(t, err, "CreateReader()")
	return raw, r
}

func TestRecipientsIncludeBcc(t *testing.T) {
	d := draft()
	assert.Equal(t, []string{"bob@example.net", "carol@example.net", "dave@example.com"}, d.Recipients())
	got := d.Recipients()
	got[0] = "changed"
	assert.Equal(t, "bob@example.net", d.To[0], "Recipients does not alias To")
	assert.Empty(t, Draft{}.Recipients())
	d.Bcc = []string{"Carol@example.net", "dave@example.com", "bob@example.net"}
	assert.Equal(t, []string{"bob@example.net", "carol@example.net", "dave@example.com"}, d.Recipients(), "each address once")
}

func TestComposeHeader(t *testing.T) {
	raw, r := compose(t, draft())
	h := header(raw)

	assert.NotContains(t, strings.ToLower(h), "\nbcc:", "Bcc stays out of the header")
	assert.NotContains(t, string(raw), "dave@example.com")
	assert.Empty(t, r.Header.Get("Message-Id"), "the MSA adds Message-ID")

	for _, c := range h {
		require.Less(t, c, rune(128), "header is 7-bit: %q", h)
	}
	assert.Contains(t, h, "Subject: =?utf-8?", "RFC 2047 encoded word")
	subject, err := r.Header.Subject()
	require.NoError(t, err)
	assert.Equal(t, "Grüße aus Kraków", subject)

	from, err := r.Header.AddressList("From")
	require.NoError(t, err)
	require.Len(t, from, 1)
	assert.Equal(t, "alice@example.org", from[0].Address)
	assert.Equal(t, "Alice", from[0].Name)

	to, err := r.Header.AddressList("To")
	require.NoError(t, err)
	require.Len(t, to, 1)
	assert.Equal(t, "bob@example.net", to[0].Address)
	cc, err := r.Header.AddressList("Cc")
	require.NoError(t, err)
	require.Len(t, cc, 1)
	assert.Equal(t, "carol@example.net", cc[0].Address)

	got, err := r.Header.Date()
	require.NoError(t, err)
	assert.True(t, date.Equal(got), "Date: %v", got)
	assert.Equal(t, "Maillab", r.Header.Get("User-Agent"))
}

func TestComposeWithoutCc(t *testing.T) {
	d := draft()
	d.Cc, d.Bcc = nil, nil
	raw, _ := compose(t, d)
	assert.NotContains(t, header(raw), "Cc:")
}

func TestComposeSinglePart(t *testing.T) {
	raw, r := compose(t, draft())
	assert.Contains(t, header(raw), "Content-Type: text/plain; charset=utf-8")
	p, err := r.NextPart()
	require.NoError(t, err)
	_, inline := p.Header.(*gomail.InlineHeader)
	assert.True(t, inline)
	body, err := io.ReadAll(p.Body)
	require.NoError(t, err)
	assert.Equal(t, "Hallo Bob,\r\nbis bald!\r\n", string(body))
	_, err = r.NextPart()
	assert.ErrorIs(t, err, io.EOF)
}

func TestComposeAttachment(t *testing.T) {
	d := draft()
	data := []byte{0x00, 0x01, 0xfe, 0xff, 'P', 'D', 'F'}
	d.Attachments = []Attachment{{Name: "notes.pdf", ContentType: "application/pdf", Data: data}}
	_, r := compose(t, d)

	mt, _, err := r.Header.ContentType()
	require.NoError(t, err)
	assert.Equal(t, "multipart/mixed", mt)
	subject, err := r.Header.Subject()
	require.NoError(t, err)
	assert.Equal(t, "Grüße aus Kraków", subject)

	p, err := r.NextPart()
	require.NoError(t, err, "text part")
	_, inline := p.Header.(*gomail.InlineHeader)
	require.True(t, inline)
	body, err := io.ReadAll(p.Body)
	require.NoError(t, err)
	assert.Equal(t, d.Body, string(body))

	p, err = r.NextPart()
	require.NoError(t, err, "attachment part")
	ah, ok := p.Header.(*gomail.AttachmentHeader)
	require.True(t, ok, "attachment header")
	name, err := ah.Filename()
	require.NoError(t, err)
	assert.Equal(t, "notes.pdf", name)
	ct, _, err := ah.ContentType()
	require.NoError(t, err)
	assert.Equal(t, "application/pdf", ct)
	got, err := io.ReadAll(p.Body)
	require.NoError(t, err)
	assert.Equal(t, data, got)

	_, err = r.NextPart()
	assert.ErrorIs(t, err, io.EOF)
}

func TestSummarize(t *testing.T) {
	raw, err := draft().Compose()
	require.NoError(t, err)
	subject, from := summarize(raw)
	assert.Equal(t, "Grüße aus Kraków", subject)
	assert.Equal(t, "alice@example.org", from)

	subject, from = summarize(nil)
	assert.Empty(t, subject)
	assert.Empty(t, from)
}

func TestComposeNonASCIINames(t *testing.T) {
	d := draft()
	d.FromName = "Alicja Łukasiewicz"
	d.Attachments = []Attachment{{Name: "Bericht März.txt", ContentType: "text/plain", Data: []byte("x")}}
	raw, r := compose(t, d)
	for _, c := range header(raw) {
		require.Less(t, c, rune(128), "header is 7-bit")
	}
	from, err := r.Header.AddressList("From")
	require.NoError(t, err)
	require.Len(t, from, 1)
	assert.Equal(t, "Alicja Łukasiewicz", from[0].Name)

	_, err = r.NextPart()
	require.NoError(t, err)
	p, err := r.NextPart()
	require.NoError(t, err)
	ah, ok := p.Header.(*gomail.AttachmentHeader)
	require.True(t, ok)
	name, err := ah.Filename()
	require.NoError(t, err)
	assert.Equal(t, "Bericht März.txt", name)
}
