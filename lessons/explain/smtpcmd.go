package explain

import (
	"strings"

	"maillab/simulator/mail"
)

// smtpCommand explains a client command line (RFC 5321 §4.1.1 and the
// extensions). An unknown verb still becomes a pending command, because
// the server answers it (usually 500).
func smtpCommand(text, proto string, restarted bool) (smtpCmd, Explanation) {
	verb, arg := splitVerb(text)
	cmd := smtpCmd{verb: verb, arg: arg}
	switch verb {
	case "HELO":
		return cmd, ex("smtp.cmd.helo", "domain", arg)
	case "EHLO":
		x := ex("smtp.cmd.ehlo", "domain", arg)
		if restarted {
			x = ex("smtp.cmd.ehlo.again", "domain", arg)
		}
		if notFQDN(arg) {
			x = x.with("smtp.ehlo-name.not-fqdn")
		}
		return cmd, x
	case "LHLO":
		return cmd, ex("lmtp.cmd.lhlo", "domain", arg)
	case "MAIL":
		return mailCommand(cmd)
	case "RCPT":
		return rcptCommand(cmd)
	case "BDAT":
		return bdatCommand(cmd)
	case "AUTH":
		return cmd, authCommand(arg)
	case "VRFY", "EXPN":
		return cmd, ex("smtp.cmd."+strings.ToLower(verb), "arg", arg)
	case "DATA", "RSET", "NOOP", "QUIT", "HELP", "STARTTLS":
		return cmd, ex("smtp.cmd." + strings.ToLower(verb))
	}
	if cmd.verb == "" {
		cmd.verb = "?"
	}
	x := ex("generic.client", "proto", strings.ToUpper(proto)).generic()
	return cmd, x
}

// splitVerb returns the upper-cased first word and the rest.
func splitVerb(text string) (verb, arg string) {
	text = strings.TrimSpace(text)
	verb, arg, _ = strings.Cut(text, " ")
	return strings.ToUpper(verb), strings.TrimSpace(arg)
}

// mailCommand: MAIL FROM:<path> [params] (RFC 5321 §4.1.1.2).
func mailCommand(cmd smtpCmd) (smtpCmd, Explanation) {
	path, params, ok := splitPath(cmd.arg, "FROM:")
	if !ok {
		return cmd, ex("smtp.cmd.mail.bad")
	}
	cmd.mailbox = path
	x := ex("smtp.cmd.mail", "mailbox", path)
	if path == "" {
		// The null reverse-path: a bounce must never cause another bounce
		// (RFC 5321 §4.5.5).
		x = ex("smtp.cmd.mail.null")
	}
	return cmd, withParams(x, params)
}

// rcptCommand: RCPT TO:<path> [params] (RFC 5321 §4.1.1.3).
func rcptCommand(cmd smtpCmd) (smtpCmd, Explanation) {
	path, params, ok := splitPath(cmd.arg, "TO:")
	if !ok {
		return cmd, ex("smtp.cmd.rcpt.bad")
	}
	cmd.mailbox = path
	if mail.IsPostmaster(path) {
		return cmd, withParams(ex("smtp.cmd.rcpt.postmaster", "mailbox", path), params)
	}
	return cmd, withParams(ex("smtp.cmd.rcpt", "mailbox", path), params)
}

// splitPath parses "FROM:<a@b> SIZE=1" into "a@b" and ["SIZE=1"].
func splitPath(arg, prefix string) (path string, params []string, ok bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", nil, false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if strings.HasPrefix(rest, "<") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return "", nil, false
		}
		return rest[1:end], strings.Fields(rest[end+1:]), true
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", nil, false
	}
	return f[0], f[1:], true
}

// withParams adds a detail for each ESMTP parameter of MAIL or RCPT.
func withParams(x Explanation, params []string) Explanation {
	for _, p := range params {
		name, value, _ := strings.Cut(p, "=")
		switch strings.ToUpper(name) {
		case "SIZE":
			x = x.param("size", value).with("smtp.param.size")
		case "BODY":
			x = x.with(bodyParam(value))
		case "SMTPUTF8":
			x = x.with("smtp.param.smtputf8")
		case "RET":
			x = x.param("ret", value).with("smtp.param.ret")
		case "ENVID":
			x = x.with("smtp.param.envid")
		case "AUTH":
			x = x.with("smtp.param.auth")
		case "REQUIRETLS":
			x = x.with("smtp.param.requiretls")
		case "NOTIFY":
			x = x.param("notify", value).with("smtp.param.notify")
		case "ORCPT":
			x = x.with("smtp.param.orcpt")
		default:
			x = x.param("param", p).with("smtp.param.unknown").generic()
		}
	}
	return x
}

func bodyParam(value string) string {
	switch strings.ToUpper(value) {
	case "8BITMIME":
		return "smtp.param.body-8bitmime"
	case "BINARYMIME":
		return "smtp.param.body-binarymime"
	}
	return "smtp.param.body-7bit"
}

// bdatCommand: BDAT size [LAST] (RFC 3030 §2): the chunk follows at once,
// counted in octets, with no dot at the end.
func bdatCommand(cmd smtpCmd) (smtpCmd, Explanation) {
	f := strings.Fields(cmd.arg)
	if len(f) == 0 {
		return cmd, ex("smtp.cmd.bdat", "size", "?")
	}
	cmd.arg = f[0]
	if len(f) > 1 && strings.EqualFold(f[1], "LAST") {
		cmd.last = true
		return cmd, ex("smtp.cmd.bdat.last", "size", f[0])
	}
	return cmd, ex("smtp.cmd.bdat", "size", f[0])
}

// authCommand: AUTH mechanism [initial-response] (RFC 4954 §4).
func authCommand(arg string) Explanation {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return ex("smtp.cmd.auth.other", "mechanism", "?")
	}
	mech := strings.ToUpper(f[0])
	ir := len(f) > 1
	switch {
	case mech == "PLAIN" && ir:
		return ex("smtp.cmd.auth.plain")
	case mech == "PLAIN":
		return ex("smtp.cmd.auth.plain.noir")
	case mech == "LOGIN" && ir:
		return ex("smtp.cmd.auth.login.ir")
	case mech == "LOGIN":
		return ex("smtp.cmd.auth.login")
	}
	return ex("smtp.cmd.auth.other", "mechanism", mech)
}

// notFQDN: an EHLO argument that is neither an address literal nor a
// dotted domain, as "alice-laptop" from a device sending straight to an
// MX (RFC 5321 §4.1.1.1 asks for a fully qualified domain name).
func notFQDN(arg string) bool {
	name, _, _ := strings.Cut(arg, " ")
	return name != "" && !strings.HasPrefix(name, "[") && !strings.Contains(strings.TrimSuffix(name, "."), ".")
}
