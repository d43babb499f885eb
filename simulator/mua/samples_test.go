package mua

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"image/png"
	"net"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSamples(t *testing.T) {
	assert.Equal(t, []string{"greetings.txt", "photo.png", "report.pdf"}, SampleNames())
	_, ok := Sample("virus.exe")
	assert.False(t, ok)

	txt, ok := Sample("greetings.txt")
	require.True(t, ok)
	assert.True(t, utf8.Valid(txt.Data))
	for _, r := range []string{"ü", "ß", "ą", "ł", "ż", "ń"} {
		assert.Contains(t, string(txt.Data), r)
	}

	img, ok := Sample("photo.png")
	require.True(t, ok)
	decoded, err := png.Decode(bytes.NewReader(img.Data))
	require.NoError(t, err)
	assert.Equal(t, 96, decoded.Bounds().Dx())

	pdf, ok := Sample("report.pdf")
	require.True(t, ok)
	assert.True(t, bytes.HasPrefix(pdf.Data, []byte("%PDF-1.4\n")))
	assert.True(t, bytes.HasSuffix(pdf.Data, []byte("%%EOF\n")))
	// startxref points at the xref table, and each entry at its object.
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf.Data)
	require.NotNil(t, m)
	at, _ := strconv.Atoi(string(m[1]))
	assert.True(t, bytes.HasPrefix(pdf.Data[at:], []byte("xref\n0 6\n")))
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf.Data, -1)
	require.Len(t, entries, 5)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		assert.True(t, bytes.HasPrefix(pdf.Data[off:], []byte(strconv.Itoa(i+1)+" 0 obj\n")), "object %d", i+1)
	}
}

func TestSendDirectNeedsDNS(t *testing.T) {
	d := NewDevice("alice-laptop", Account{Address: "alice@example.org"}, noDNS{})
	assert.ErrorIs(t, d.SendDirect(t.Context(), Draft{From: "alice@example.org", To: []string{"bob@example.net"}}), ErrNoDNS)
}

func TestByDomain(t *testing.T) {
	got := byDomain([]string{"bob@example.net", "alice@example.org", "Bob@example.net", "carol@EXAMPLE.net"})
	assert.Equal(t, [][]string{{"bob@example.net", "carol@EXAMPLE.net"}, {"alice@example.org"}}, got)
}

// noDNS is a network without a resolver.
type noDNS struct{}

func (noDNS) DialService(ctx context.Context, from, host string, port int) (net.Conn, error) {
	return nil, errors.New("no network")
}
func (noDNS) NodeTLS(node, host string) *tls.Config { return nil }
