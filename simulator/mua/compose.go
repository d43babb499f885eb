package mua

import (
	"bytes"
	"io"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"
)

// Draft is what the user types into the compose window.
type Draft struct {
	From        string
	FromName    string
	To, Cc      []string
	Bcc         []string
	Subject     string
	Body        string
	Attachments []Attachment
	Date        time.Time
}

// Attachment is a file sent with the mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Recipients are the envelope recipients: To, Cc and Bcc (RFC 5321 §3.3),
// each address once (as mail clients do: one RCPT TO, one copy).
func (d Draft) Recipients() []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range [][]string{d.To, d.Cc, d.Bcc} {
		for _, a := range list {
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// Compose renders the draft as RFC 5322 / MIME. Bcc is not written into the
// header (RFC 5322 §3.6.3 allows either; mail clients leave it out so the
// other recipients cannot see it). The MSA adds Message-ID (RFC 6409 §8.3).
func (d Draft) Compose() ([]byte, error) {
	var h gomail.Header
	h.SetDate(d.Date)
	h.SetAddressList("From", []*gomail.Address{{Name: d.FromName, Address: d.From}})
	h.SetAddressList("To", addrs(d.To))
	if len(d.Cc) > 0 {
		h.SetAddressList("Cc", addrs(d.Cc))
	}
	h.SetSubject(d.Subject)
	h.Set("User-Agent", "Maillab")
	var buf bytes.Buffer
	if len(d.Attachments) == 0 {
		return d.single(&buf, h)
	}
	return d.multipart(&buf, h)
}

func (d Draft) single(buf *bytes.Buffer, h gomail.Header) ([]byte, error) {
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w, err := gomail.CreateSingleInlineWriter(buf, h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write([]byte(d.Body)); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d Draft) multipart(buf *bytes.Buffer, h gomail.Header) ([]byte, error) {
	w, err := gomail.CreateWriter(buf, h)
	if err != nil {
		return nil, err
	}
	var th gomail.InlineHeader
	th.Set("Content-Type", "text/plain; charset=utf-8")
	tw, err := w.CreateSingleInline(th)
	if err != nil {
		return nil, err
	}
	tw.Write([]byte(d.Body))
	tw.Close()
	for _, a := range d.Attachments {
		var ah gomail.AttachmentHeader
		ah.Set("Content-Type", a.ContentType)
		ah.SetFilename(a.Name)
		aw, err := w.CreateAttachment(ah)
		if err != nil {
			return nil, err
		}
		aw.Write(a.Data)
		aw.Close()
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addrs(list []string) []*gomail.Address {
	out := make([]*gomail.Address, len(list))
	for i, a := range list {
		out[i] = &gomail.Address{Address: a}
	}
	return out
}

// maxShownBody bounds the text Parts returns.
const maxShownBody = 64 << 10

// Parts reads a whole message as a mail client shows it: the first text
// part (decoded, at most 64 KiB) and the file names of the attachments.
func Parts(raw []byte) (body string, attachments []string) {
	attachments = []string{}
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return "", attachments
	}
	gotText := false
	for range 100 { // a bound on parts, whatever the message says
		p, err := r.NextPart()
		if err != nil {
			break
		}
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			mt, _, _ := h.ContentType()
			if !gotText && (mt == "" || mt == "text/plain") {
				b, _ := io.ReadAll(io.LimitReader(p.Body, maxShownBody))
				body, gotText = string(b), true
			}
		case *gomail.AttachmentHeader:
			name, _ := h.Filename()
			if name == "" {
				name = "?"
			}
			attachments = append(attachments, name)
		}
	}
	return body, attachments
}
