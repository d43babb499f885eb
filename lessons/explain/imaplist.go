package explain

import "strings"

// subscriptionDetails refines a LIST or LSUB line (RFC 9051 §7.3.1, RFC
// 3501 §7.2.3) for subscriptions and LIST-EXTENDED (RFC 5258): an LSUB
// line names a subscription, not a folder; \NonExistent is a subscribed
// name whose folder is gone; \Noselect is a level that only has folders
// below it; \Subscribed and CHILDINFO come as details.
func subscriptionDetails(x Explanation, verb, tail string) Explanation {
	attrs := ""
	if strings.HasPrefix(tail, "(") {
		if end := strings.IndexByte(tail, ')'); end >= 0 {
			attrs = strings.ToLower(tail[1:end])
		}
	}
	switch {
	case strings.Contains(attrs, `\nonexistent`):
		x.Key = "imap.resp.list.nonexistent"
	case strings.Contains(attrs, `\noselect`):
		x.Key = "imap.resp.list.noselect"
		x = x.param("verb", verb)
	case verb == "LSUB":
		x.Key = "imap.resp.lsub"
	}
	if strings.Contains(attrs, `\subscribed`) {
		x = x.with("imap.list.subscribed")
	}
	if strings.Contains(strings.ToUpper(tail), "CHILDINFO") {
		x = x.with("imap.list.childinfo")
	}
	return x
}
