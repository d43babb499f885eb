package cli

import (
	"image"
	"image/color"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

// readBlocks reads qrBlocks' drawing back into modules, quiet zone and all.
func readBlocks(t *testing.T, s string) [][]bool {
	t.Helper()
	var out [][]bool
	for _, line := range strings.Split(s, "\n") {
		line, ok := strings.CutPrefix(line, "\x1b[30;107m")
		require.True(t, ok, "every line sets black on white")
		line, ok = strings.CutSuffix(line, "\x1b[0m")
		require.True(t, ok, "every line resets the colours")
		var top, bottom []bool
		for _, r := range line {
			switch r {
			case '█':
				top, bottom = append(top, true), append(bottom, true)
			case '▀':
				top, bottom = append(top, true), append(bottom, false)
			case '▄':
				top, bottom = append(top, false), append(bottom, true)
			case ' ':
				top, bottom = append(top, false), append(bottom, false)
			default:
				t.Fatalf("unexpected %q in the QR drawing", r)
			}
		}
		out = append(out, top, bottom)
	}
	return out
}

func TestQRBlocksRoundTrip(t *testing.T) {
	link := classroom.JoinLink("192.168.1.20:7625", "K7Q-M4P")
	m, err := classroom.NewQR(link)
	require.NoError(t, err)
	grid := readBlocks(t, qrBlocks(m))
	n := len(m) + 8
	require.GreaterOrEqual(t, len(grid), n, "an odd side ends on a half line")
	for y, row := range grid {
		require.Len(t, row, n)
		for x, dark := range row {
			my, mx := y-4, x-4
			inside := my >= 0 && mx >= 0 && my < len(m) && mx < len(m)
			assert.Equal(t, inside && m[my][mx], dark, "module %d,%d (quiet zone of 4 around)", x, y)
		}
	}
	// What a phone reads off the screen: the join link.
	img := image.NewGray(image.Rect(0, 0, len(grid[0])*4, len(grid)*4))
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			c := color.Gray{Y: 255}
			if grid[y/4][x/4] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	got, err := qr.Decode(img)
	require.NoError(t, err)
	assert.Equal(t, link, got)
}
