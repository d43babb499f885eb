package imap

import (
	"bytes"
	"testing"
)

// FuzzBinaryToBase64: any message converts without panic, a second pass
// changes nothing (no binary part is left), and a message without a
// binary part comes back as it was. `go test` runs the seeds; `go test
// -fuzz` explores.
func FuzzBinaryToBase64(f *testing.F) {
	hdr := "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
	for _, s := range []string{
		hdr + "\x00-\xe4\r\n",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + hdr + "\x00\r\n--b\r\n\r\nx\r\n--b--\r\n",
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n--b\r\n--b--",
		"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n",
		"Content-Transfer-Encoding:\r\n binary\r\n\r\nx", "\r\n\r\n", "", "--b\r\n",
		"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
			hdr + "\x01\r\n--b--\r\n--a--\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		once := binaryToBase64(msg)
		if twice := binaryToBase64(once); !bytes.Equal(once, twice) {
			t.Fatalf("second pass changed %q:\n%q\n%q", msg, once, twice)
		}
		if !bytes.Contains(bytes.ToLower(msg), []byte("binary")) && !bytes.Equal(once, msg) {
			t.Fatalf("no binary part, yet changed: %q -> %q", msg, once)
		}
	})
}
