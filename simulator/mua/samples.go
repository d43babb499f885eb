package mua

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sort"
)

// Sample files the mail client offers to attach, so a learner can see
// what each kind of attachment looks like inside MIME without a file of
// their own: a PDF (binary with a text head), a PNG photo (binary) and a
// UTF-8 text with German and Polish letters (8-bit text).
var samples = map[string]func() Attachment{
	"report.pdf":    samplePDF,
	"photo.png":     samplePNG,
	"greetings.txt": sampleText,
}

// SampleNames lists the sample attachments in a stable order.
func SampleNames() []string {
	out := make([]string, 0, len(samples))
	for n := range samples {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Sample returns the sample attachment called name.
func Sample(name string) (Attachment, bool) {
	f, ok := samples[name]
	if !ok {
		return Attachment{}, false
	}
	return f(), true
}

// sampleText mixes German umlauts and ß with Polish diacritics, so the
// part needs a charset and is not 7-bit.
func sampleText() Attachment {
	text := "Grüße aus München! Schöne Größe, süße Äpfel.\r\n" +
		"Zażółć gęślą jaźń — pozdrowienia z Łodzi i Gdańska.\r\n"
	return Attachment{Name: "greetings.txt", ContentType: "text/plain; charset=utf-8", Data: []byte(text)}
}

// samplePDF is a one-page PDF 1.4 that says "Hello from Maillab", with a
// correct cross-reference table (ISO 32000-1 §7.5).
func samplePDF() Attachment {
	stream := "BT /F1 24 Tf 40 100 Td (Hello from Maillab) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 320 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return Attachment{Name: "report.pdf", ContentType: "application/pdf", Data: b.Bytes()}
}

// samplePNG draws a small landscape: sky, sun, a hill and a lake.
func samplePNG() Attachment {
	const w, h = 96, 64
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(120 + y), uint8(170 + y/2), 235, 255} // sky, lighter below
			dx, dy := x-72, y-16
			switch {
			case dx*dx+dy*dy <= 64:
				c = color.RGBA{250, 210, 60, 255} // sun
			case y > 52:
				c = color.RGBA{40, 90, uint8(150 + (x+y)%20), 255} // lake
			case (x-30)*(x-30)/6+(y-60)*(y-60) < 700 && y > 30:
				c = color.RGBA{60, uint8(120 + x%16), 60, 255} // hill
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return Attachment{Name: "photo.png", ContentType: "image/png", Data: b.Bytes()}
}
