package world

import (
	"strings"

	"maillab/simulator/msa"
	"maillab/simulator/mx"
	"maillab/simulator/wire"
)

// bodyRecord is how many bytes of one message body the tap records on a
// service: the server's SIZE limit (RFC 1870) where it is smaller than
// wire.DefaultBodyRecord, so what a server would refuse anyway is not
// kept either. The mail itself passes whole.
func (w *World) bodyRecord(host, proto string) int64 {
	limit := int64(wire.DefaultBodyRecord)
	switch proto {
	case "smtp":
		_, domain, _ := strings.Cut(host, ".") // mx.example.org → example.org
		size := int64(w.providerSpec(domain).Policy.MXSizeLimit)
		if size <= 0 {
			size = mx.DefaultMaxMessageBytes
		}
		limit = min(limit, size)
	case "submission":
		limit = min(limit, msa.DefaultMaxMessageBytes)
	}
	return limit
}
