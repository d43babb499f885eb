"""Read Bob's mail with Python's imaplib (standard library only).

usage: imap_client.py MODE HOST PORT CAFILE
MODE: starttls | ssl | wrong-password
Prints the INBOX and every message; exits 0 when the server behaved as
expected.
"""
import imaplib
import ssl
import sys

BOB, PASSWORD = "bob@example.net", "builder"


def read(imap):
    imap.login(BOB, PASSWORD)
    typ, data = imap.select("INBOX", readonly=True)
    print("select %s %s" % (typ, data[0].decode()))
    typ, data = imap.uid("SEARCH", None, "ALL")
    for uid in data[0].split():
        typ, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        print("uid %s %s" % (uid.decode(), typ))
        print(parts[0][1].decode("utf-8", "replace"))
    imap.logout()


def main(mode, host, port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "ssl":
        read(imaplib.IMAP4_SSL(host, port, ssl_context=ctx, timeout=15))
        return 0
    imap = imaplib.IMAP4(host, port, timeout=15)
    if mode == "plain":
        # LOGINDISABLED before STARTTLS; a LOGIN anyway gets
        # NO [PRIVACYREQUIRED] (RFC 9051 §6.2.3, RFC 5530).
        print("capabilities " + " ".join(imap.capabilities))
        try:
            imap.login(BOB, PASSWORD)
        except imaplib.IMAP4.error as err:
            print("login-refused " + str(err))
            imap.logout()
            return 0
        print("logged in without TLS")
        return 1
    imap.starttls(ssl_context=ctx)
    if mode == "starttls":
        read(imap)
        return 0
    if mode == "wrong-password":
        try:
            imap.login(BOB, "not-" + PASSWORD)
        except imaplib.IMAP4.error as err:
            # imaplib says "command error: BAD" for BAD; a NO gives only
            # the server's text (RFC 9051 §6.2.3).
            text = str(err)
            print("login-refused " + text)
            imap.logout()
            return 1 if "command error: BAD" in text else 0
        print("LOGIN accepted a wrong password")
        return 1
    print("unknown mode " + mode)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
