// Package pop3 is a hand-written POP3 server and client (RFC 1939) with the
// extensions a teaching mail server needs: CAPA, TOP, UIDL and response codes
// (RFC 2449, RFC 3206), STLS (RFC 2595), APOP (RFC 1939 §7) and SASL PLAIN
// through AUTH (RFC 5034, RFC 4616).
//
// The server keeps every rule of the three session states (AUTHORIZATION,
// TRANSACTION, UPDATE) so a learner can watch them: deletions are only
// marks until QUIT, a dropped connection deletes nothing, and a maildrop is
// locked for one session at a time.
package pop3
