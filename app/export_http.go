//go:build !(js && wasm)

package app

import (
	"mime"
	"net/http"
	"strconv"

	"maillab/lessons/i18n"
)

// handleExport serves GET /api/export/{kind}?lang=&keys=&secrets= as a
// download. The frontend fetches it with the token header and saves the
// blob, so the token never appears in a URL; viewers get exports without
// passwords and keys.
func (h *HTTP) handleExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := exportLang(q.Get("lang"))
	keys, secrets := queryBool(q.Get("keys")), queryBool(q.Get("secrets"))
	if (keys || secrets) && !h.authorised(r) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": i18n.T(lang, "export.needs-control", nil)})
		return
	}
	f, err := h.app.export(r.PathValue("kind"), lang, keys, secrets)
	if err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		return
	}
	w.Header().Set("Content-Type", f.mime)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f.data)
}

// queryBool reads a flag of the query: 1, true, yes, on.
func queryBool(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b || s == "yes" || s == "on"
}
