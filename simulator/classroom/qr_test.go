package classroom_test

import (
	"image"
	"image/color"
	"io"
	"net/http"
	"testing"

	qr "github.com/piglig/go-qr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

// render draws a QR matrix as a phone camera would see it: scale pixels
// a module, dark on light, with a quiet zone of four modules.
func render(m classroom.QR, scale int) image.Image {
	n := len(m) + 8
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			my, mx := y/scale-4, x/scale-4
			c := color.Gray{Y: 255}
			if my >= 0 && mx >= 0 && my < len(m) && mx < len(m) && m[my][mx] {
				c = color.Gray{Y: 0}
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

func TestQRRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		addr, code string
		maxSize    int // modules: version 4 (33) is big enough for any IPv4 room
	}{
		{"127.0.0.1:7625", "K7Q-M4P", 33},
		{"192.168.100.200:7625", "ABCD-EFGH-JKLM", 33},
		{"10.0.0.5:65535", "WXYZ", 33},
	} {
		link := classroom.JoinLink(tc.addr, tc.code)
		m, err := classroom.NewQR(link)
		require.NoError(t, err)
		require.NotEmpty(t, m)
		assert.LessOrEqual(t, len(m), tc.maxSize, "%s: the code stays small enough for a projector", link)
		assert.Zero(t, (len(m)-17)%4, "a QR code's side is 17+4·version modules")
		for _, row := range m {
			require.Len(t, row, len(m))
		}
		res, err := qr.DecodeDetailed(render(m, 4))
		require.NoError(t, err, link)
		assert.Equal(t, link, res.Text)
		addr, code, err := classroom.ParseJoinLink(res.Text)
		require.NoError(t, err)
		assert.Equal(t, tc.addr, addr)
		assert.Equal(t, tc.code, code)
	}
	_, err := classroom.NewQR("")
	assert.Error(t, err)
}

func TestParseJoinLink(t *testing.T) {
	for _, tc := range []struct{ link, addr, code string }{
		{"http://10.0.0.5:7625/?code=K7Q-M4P", "10.0.0.5:7625", "K7Q-M4P"},
		{"  http://10.0.0.5/?code=abcd\n", "10.0.0.5:7625", "abcd"},
	} {
		addr, code, err := classroom.ParseJoinLink(tc.link)
		require.NoError(t, err, tc.link)
		assert.Equal(t, tc.addr, addr)
		assert.Equal(t, tc.code, code)
	}
	for _, bad := range []string{"", "10.0.0.5:7625", "https://10.0.0.5/?code=x", "http://school.example/?code=x"} {
		_, _, err := classroom.ParseJoinLink(bad)
		assert.Error(t, err, bad)
	}
}

// A phone that opens the link reads how to join, never the code back.
func TestHostHomePage(t *testing.T) {
	r := newRoom(t, 40)
	resp, err := http.Get("http://" + r.host.JoinAddress() + "/?code=%3Cscript%3E")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(b), "maillab classroom join "+r.host.JoinAddress())
	assert.NotContains(t, string(b), "script")
	assert.NotContains(t, string(b), r.host.Code())
	m, err := r.host.QR()
	require.NoError(t, err)
	res, err := qr.Decode(render(m, 3))
	require.NoError(t, err)
	assert.Equal(t, r.host.JoinLink(), res)
}
