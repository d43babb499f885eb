package explain

import (
	"strconv"

	"maillab/simulator/event"
)

// tlsRecAlert is the TLS record type of an alert sent before any keys exist
// (RFC 8446 §5.1); once the handshake has keys, an alert travels inside an
// encrypted record of type application_data like everything else (§6).
const tlsRecAlert = 21

// tlsAlert explains an alert record. A plaintext one can be read: level,
// then description (RFC 8446 §6). An encrypted one cannot, not even by
// Maillab's explainer, so its meaning comes from when it was sent: right
// after the goodbye of the mail protocol it is the close_notify of §6.1,
// otherwise an error alert that ends the connection (§6.2).
func (t *Tracker) tlsAlert(ev event.Event) Explanation {
	if w := ev.Wire; len(w) >= 7 && w[0] == tlsRecAlert {
		return ex("tls.alert.plain", "alert", alertName(w[6]))
	}
	if t.closing() {
		if ev.Dir == event.ClientToServer {
			return ex("tls.alert.close.client")
		}
		return ex("tls.alert.close")
	}
	return ex("tls.alert")
}

// alertNames are the AlertDescription values of RFC 8446 §6.
var alertNames = map[byte]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
	40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
	44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
	47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
	51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
	86: "inappropriate_fallback", 90: "user_canceled", 109: "missing_extension",
	110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
	115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
}

// alertName renders a description as "bad_certificate (42)".
func alertName(code byte) string {
	n := strconv.Itoa(int(code))
	if name, ok := alertNames[code]; ok {
		return name + " (" + n + ")"
	}
	return n
}
