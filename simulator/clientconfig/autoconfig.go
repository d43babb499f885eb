package clientconfig

import (
	"bytes"
	"encoding/xml"
)

// The autoconfig format, version 1.1, as Thunderbird reads it
// (https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat):
// one emailProvider with its domains, incoming servers (the first is the
// default, the rest are alternatives) and outgoing servers.

// ClientConfig is the document root.
type ClientConfig struct {
	XMLName  xml.Name      `xml:"clientConfig"`
	Version  string        `xml:"version,attr"`
	Provider EmailProvider `xml:"emailProvider"`
}

// EmailProvider describes one provider.
type EmailProvider struct {
	ID               string      `xml:"id,attr"`
	Domains          []string    `xml:"domain"`
	DisplayName      string      `xml:"displayName"`
	DisplayShortName string      `xml:"displayShortName"`
	Incoming         []XMLServer `xml:"incomingServer"`
	Outgoing         []XMLServer `xml:"outgoingServer"`
}

// XMLServer is an incomingServer (type imap or pop3) or an outgoingServer
// (type smtp).
type XMLServer struct {
	Type           string `xml:"type,attr"`
	Hostname       string `xml:"hostname"`
	Port           int    `xml:"port"`
	SocketType     string `xml:"socketType"`
	Authentication string `xml:"authentication"`
	Username       string `xml:"username"`
}

// EmailAddressPlaceholder lets Thunderbird put in the address the user
// typed, so one file serves every account of the domain.
const EmailAddressPlaceholder = "%EMAILADDRESS%"

// Autoconfig returns p as a ClientConfig.
func Autoconfig(p Provider) ClientConfig {
	ep := EmailProvider{ID: p.Domain, Domains: []string{p.Domain},
		DisplayName: "Maillab " + p.Domain + " (" + p.Owner + ")", DisplayShortName: p.Domain}
	for _, s := range p.Incoming {
		ep.Incoming = append(ep.Incoming, xmlServer(s))
	}
	for _, s := range p.Outgoing {
		ep.Outgoing = append(ep.Outgoing, xmlServer(s))
	}
	return ClientConfig{Version: "1.1", Provider: ep}
}

func xmlServer(s Server) XMLServer {
	return XMLServer{Type: s.Protocol, Hostname: s.Hostname, Port: s.Port, SocketType: string(s.Security),
		Authentication: s.Auth, Username: EmailAddressPlaceholder}
}

// AutoconfigXML returns p's autoconfig document, indented, with the XML
// declaration. encoding/xml escapes every value.
func AutoconfigXML(p Provider) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(Autoconfig(p)); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
