"""Read Bob's mail with Python's poplib (standard library only).

usage: pop3_client.py MODE HOST PORT CAFILE
MODE: stls | ssl | wrong-password
Prints the mailbox size and every message; exits 0 when the server behaved
as expected.
"""
import poplib
import ssl
import sys

BOB, PASSWORD = "bob@example.net", "builder"


def read(pop):
    pop.user(BOB)
    pop.pass_(PASSWORD)
    count, size = pop.stat()
    print("stat %d %d" % (count, size))
    for n in range(1, count + 1):
        _, lines, _ = pop.retr(n)
        for line in lines:
            print(line.decode("utf-8", "replace"))
    print(pop.quit().decode())


def main(mode, host, port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "ssl":
        read(poplib.POP3_SSL(host, port, context=ctx, timeout=15))
        return 0
    pop = poplib.POP3(host, port, timeout=15)
    if mode == "plain":
        # What a student's script does on 110 without STLS: a well-run
        # provider refuses the password before TLS (RFC 2595 §4).
        print("capa " + " ".join(sorted(pop.capa())))
        try:
            pop.user(BOB)
            pop.pass_(PASSWORD)
        except poplib.error_proto as err:
            print("error " + err.args[0].decode())
            return 0
        print("logged in without TLS")
        return 1
    pop.stls(context=ctx)
    if mode == "stls":
        read(pop)
        return 0
    if mode == "wrong-password":
        pop.user(BOB)
        try:
            pop.pass_("not-" + PASSWORD)
        except poplib.error_proto as err:
            print("error " + err.args[0].decode())
            return 0
        print("PASS accepted a wrong password")
        return 1
    print("unknown mode " + mode)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
