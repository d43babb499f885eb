"""Two devices resynchronise with CONDSTORE/QRESYNC (RFC 7162) through
Python's imaplib (standard library only), which has no QRESYNC support of
its own: ENABLE and SELECT (QRESYNC ...) are sent raw.

usage: qresync_client.py HOST PORT CAFILE
Bob's INBOX must hold three messages (UIDs 1-3). The "phone" selects it and
remembers UIDVALIDITY and HIGHESTMODSEQ; the "laptop" flags UID 2 and
expunges UID 3; the phone comes back with SELECT INBOX (QRESYNC ...) and
prints what it was told. Exits 0 when that was exactly the two changes.
"""
import imaplib
import ssl
import sys

BOB, PASSWORD = "bob@example.net", "builder"


def connect(host, port, ctx):
    imap = imaplib.IMAP4(host, port, timeout=15)
    imap.starttls(ssl_context=ctx)
    imap.login(BOB, PASSWORD)
    return imap


def code(imap, name):
    typ, data = imap.response(name)
    return data[0].decode() if data and data[0] is not None else None


def main(host, port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)

    phone = connect(host, port, ctx)
    typ, data = phone._simple_command("ENABLE", "QRESYNC")
    print("enable %s %s" % (typ, phone.untagged_responses.pop("ENABLED", [b""])[0].decode()))
    typ, data = phone.select("INBOX")
    validity, modseq = code(phone, "UIDVALIDITY"), code(phone, "HIGHESTMODSEQ")
    print("phone select %s uidvalidity=%s highestmodseq=%s" % (typ, validity, modseq))
    phone.logout()
    if not validity or not modseq:
        return 1

    laptop = connect(host, port, ctx)
    laptop.select("INBOX")
    typ, data = laptop.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
    print("laptop flag %s" % typ)
    laptop.uid("STORE", "3", "+FLAGS.SILENT", "(\\Deleted)")
    typ, data = laptop.uid("EXPUNGE", "3")
    print("laptop expunge %s" % typ)
    laptop.logout()

    phone = connect(host, port, ctx)
    phone._simple_command("ENABLE", "QRESYNC")
    typ, data = phone._simple_command("SELECT", "INBOX", "(QRESYNC (%s %s 1:3))" % (validity, modseq))
    vanished = [v.decode() for v in phone.untagged_responses.pop("VANISHED", [])]
    fetches = [f.decode() for f in phone.untagged_responses.pop("FETCH", [])]
    print("resync %s highestmodseq=%s" % (typ, code(phone, "HIGHESTMODSEQ")))
    for v in vanished:
        print("vanished " + v)
    for f in fetches:
        print("fetch " + f)
    phone._simple_command("LOGOUT")
    return 0 if typ == "OK" and vanished == ["(EARLIER) 3"] and len(fetches) == 1 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
