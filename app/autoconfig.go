//go:build !(js && wasm)

package app

import (
	"net"
	"net/http"
	"strings"

	"maillab/lessons/i18n"
	"maillab/simulator/clientconfig"
)

// routeClientConfig adds the read-only addresses for mail programs: no
// token, they only say what the port map already prints.
func (h *HTTP) routeClientConfig() {
	h.mux.HandleFunc("GET "+wellKnownPath, h.handleAutoconfig)
	h.mux.HandleFunc("GET "+ispPath, h.handleAutoconfig)
	h.mux.HandleFunc("GET "+ispdbPrefix+"{domain}", h.handleAutoconfig)
	h.mux.HandleFunc("GET "+caPath, h.handleCA)
}

// handleAutoconfig answers with the provider's autoconfig XML, or 404 and
// a sentence saying what is served.
func (h *HTTP) handleAutoconfig(w http.ResponseWriter, r *http.Request) {
	lang := requestLang(r)
	pm, ok := h.app.portMap()
	if !ok {
		http.Error(w, i18n.T(lang, "ui.connect.http.no-port-map", nil), http.StatusNotFound)
		return
	}
	domain := requestedDomain(r)
	p, ok := clientconfig.ForDomain(pm, domain, h.app.accounts())
	if !ok {
		http.Error(w, i18n.T(lang, "ui.connect.http.unknown-domain", map[string]string{"domain": domain}),
			http.StatusNotFound)
		return
	}
	doc, err := clientconfig.AutoconfigXML(p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // --port-base may differ next time
	w.Write(doc)
}

// requestedDomain is the domain asked for: in the ISPDB path, else in
// ?emailaddress= (Thunderbird always sends it), else the host the request
// was sent to, as autoconfig.example.org would be behind an /etc/hosts line.
func requestedDomain(r *http.Request) string {
	if d := r.PathValue("domain"); d != "" {
		return strings.ToLower(d)
	}
	if addr := r.URL.Query().Get("emailaddress"); addr != "" {
		return strings.ToLower(addr[strings.LastIndex(addr, "@")+1:])
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimPrefix(strings.ToLower(host), "autoconfig.")
}

// requestLang picks the first supported language of Accept-Language for
// the sentences a browser shows.
func requestLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if i18n.Supported(lang) {
			return lang
		}
	}
	return "en"
}

// handleCA hands out the CA certificate, so the page can offer it as a
// download.
func (h *HTTP) handleCA(w http.ResponseWriter, r *http.Request) {
	ca := h.app.opts.World.CA
	if ca == nil {
		http.Error(w, i18n.T(requestLang(r), "ui.connect.http.no-ca", nil), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `attachment; filename="maillab-ca.pem"`)
	w.Header().Set("Cache-Control", "no-store") // a new CA every start
	w.Write(ca.PEM())
}
