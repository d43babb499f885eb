package pop3

// dispatch runs a parsed command. Commands valid in both states come
// first; the rest depend on the state (RFC 1939 §4, §5).
func (s *session) dispatch(cmd Command) error {
	switch cmd.Name {
	case "QUIT":
		return s.cmdQuit(cmd)
	case "CAPA":
		return s.cmdCapa(cmd)
	case "LAST":
		// RFC 1725 had LAST; RFC 1939 removed it. fetchmail still tries it.
		return s.fail(&Error{Text: "LAST is obsolete (removed by RFC 1939), use UIDL"})
	}
	if s.state == stateAuthorization {
		return s.dispatchAuthorization(cmd)
	}
	return s.dispatchTransaction(cmd)
}

func (s *session) dispatchAuthorization(cmd Command) error {
	switch cmd.Name {
	case "USER":
		return s.cmdUser(cmd)
	case "PASS":
		return s.cmdPass(cmd)
	case "APOP":
		return s.cmdAPOP(cmd)
	case "AUTH":
		return s.cmdAuth(cmd)
	case "STLS":
		return s.cmdSTLS(cmd)
	}
	if isTransactionCommand(cmd.Name) {
		return s.invalid(&Error{Text: cmd.Name + " not allowed before login (AUTHORIZATION state)"})
	}
	return s.invalid(&Error{Text: "unknown command"})
}

func (s *session) dispatchTransaction(cmd Command) error {
	switch cmd.Name {
	case "STAT":
		return s.cmdStat(cmd)
	case "LIST":
		return s.cmdList(cmd)
	case "UIDL":
		return s.cmdUidl(cmd)
	case "RETR":
		return s.cmdRetr(cmd)
	case "TOP":
		return s.cmdTop(cmd)
	case "DELE":
		return s.cmdDele(cmd)
	case "NOOP":
		return s.cmdNoop(cmd)
	case "RSET":
		return s.cmdRset(cmd)
	case "USER", "PASS", "APOP", "AUTH":
		return s.fail(&Error{Text: "already logged in (TRANSACTION state)"})
	case "STLS":
		// RFC 2595 §4: STLS only in the AUTHORIZATION state.
		return s.fail(&Error{Text: "STLS not allowed after login"})
	}
	return s.fail(&Error{Text: "unknown command"})
}

func isTransactionCommand(name string) bool {
	switch name {
	case "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "NOOP", "RSET":
		return true
	}
	return false
}
