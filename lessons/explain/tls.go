package explain

import (
	"regexp"
	"strings"

	"maillab/simulator/event"
)

var encryptedRecord = regexp.MustCompile(`^TLS encrypted record \((\d+) bytes\)$`)

// serverHello is the tap's "TLS ServerHello (X25519, TLS_AES_128_GCM_SHA256)":
// the key exchange group and the cipher suite the server chose.
var serverHello = regexp.MustCompile(`^TLS (ServerHello|HelloRetryRequest) \(([A-Za-z0-9-]+), ([A-Z0-9_]+)\)$`)

// groupNotes say where a key exchange group stands among mail servers.
var groupNotes = map[string]string{"X25519": "tls.group.x25519", "X25519MLKEM768": "tls.group.x25519mlkem768",
	"P-256": "tls.group.p256"}

// tlsRecord explains a TLS record that carries no line (RFC 8446): the
// handshake messages, ChangeCipherSpec, alerts and records the tap could
// not decrypt.
func (t *Tracker) tlsRecord(ev event.Event) Explanation {
	text := ev.Text
	if m := encryptedRecord.FindStringSubmatch(text); m != nil {
		return ex("tls.encrypted-record", "bytes", m[1])
	}
	if text == "TLS alert" {
		return t.tlsAlert(ev)
	}
	if m := serverHello.FindStringSubmatch(text); m != nil {
		key := "tls.server-hello.group"
		if m[1] == "HelloRetryRequest" {
			key = "tls.hello-retry"
		}
		x := ex(key, "group", m[2], "suite", m[3])
		if note, ok := groupNotes[m[2]]; ok {
			x = x.with(note)
		}
		return x
	}
	names := strings.Split(strings.TrimPrefix(text, "TLS "), ", ")
	if len(names) > 1 {
		return tlsFlight(names)
	}
	switch names[0] {
	case "ClientHello":
		return ex("tls.client-hello")
	case "ServerHello":
		return ex("tls.server-hello")
	case "ChangeCipherSpec":
		return ex("tls.change-cipher-spec")
	case "EncryptedExtensions":
		return ex("tls.encrypted-extensions")
	case "Certificate":
		if ev.Dir == event.ClientToServer {
			return ex("tls.certificate.client")
		}
		return ex("tls.certificate")
	case "CertificateRequest":
		return ex("tls.certificate-request")
	case "CertificateVerify":
		if ev.Dir == event.ClientToServer {
			return ex("tls.certificate-verify.client")
		}
		return ex("tls.certificate-verify")
	case "Finished":
		if ev.Dir == event.ClientToServer {
			return ex("tls.finished.client")
		}
		return ex("tls.finished.server")
	case "NewSessionTicket":
		return ex("tls.new-session-ticket")
	case "KeyUpdate":
		return ex("tls.key-update")
	}
	return generic(ev)
}

// tlsFlight: several handshake messages in one record, typically the
// server's EncryptedExtensions … Finished (RFC 8446 §2, §4.3, §4.4).
func tlsFlight(names []string) Explanation {
	known := map[string]bool{"EncryptedExtensions": true, "Certificate": true, "CertificateRequest": true,
		"CertificateVerify": true, "Finished": true, "NewSessionTicket": true}
	for _, n := range names {
		if !known[n] {
			return ex("generic.tls", "proto", "TLS").generic()
		}
	}
	list := strings.Join(names, ", ")
	switch {
	case names[0] == "EncryptedExtensions" && contains(names, "Certificate"):
		return ex("tls.server-flight", "messages", list)
	case names[0] == "EncryptedExtensions":
		return ex("tls.server-flight.resumed", "messages", list)
	case names[0] == "Certificate":
		return ex("tls.client-flight", "messages", list)
	}
	return ex("tls.messages", "messages", list)
}

// closing: the application protocol has ended (QUIT, LOGOUT) or was never
// spoken, so an alert now is the close_notify of RFC 8446 §6.1.
func (t *Tracker) closing() bool {
	switch t.ctx.LastClientCommand {
	case "QUIT", "LOGOUT":
		return true
	}
	return strings.HasSuffix(t.ctx.LastClientCommand, " LOGOUT")
}
