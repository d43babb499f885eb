"""A classmate's mail client for the classroom network harness (standard
library only), run inside a student's network namespace.

usage:
  room_client.py send HOST PORT CAFILE ACCOUNT PASSWORD SUBJECT TO...   (587: STARTTLS, AUTH)
  room_client.py sendmany HOST PORT CAFILE ACCOUNT PASSWORD PREFIX TO...  (one session, one mail per TO: PREFIX-1, PREFIX-2, …)
  room_client.py count HOST PORT CAFILE ACCOUNT PASSWORD                (995: prints the subjects only)
  room_client.py pop3 HOST PORT CAFILE ACCOUNT PASSWORD                 (995: implicit TLS; prints every message)
  room_client.py imap HOST PORT CAFILE ACCOUNT PASSWORD                 (143: STARTTLS; prints the subjects)
  room_client.py forge HOST PORT FROM TO                                (25, no TLS: prints the MX's reply)
  room_client.py mx DNSHOST DNSPORT DOMAIN                              (prints rcode and the MX records)
  room_client.py map URL                                                (prints the room map's JSON)
"""
import imaplib
import json
import poplib
import random
import smtplib
import socket
import ssl
import struct
import sys
import urllib.request


def send(host, port, cafile, account, password, subject, *to):
    ctx = ssl.create_default_context(cafile=cafile)
    msg = ("From: <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\nHello from %s.\r\n"
           % (account, ", ".join("<%s>" % t for t in to), subject, account))
    with smtplib.SMTP(host, int(port), timeout=15) as smtp:
        smtp.starttls(context=ctx)
        smtp.login(account, password)
        refused = smtp.sendmail(account, list(to), msg)
    print("sent refused=%d" % len(refused))


def sendmany(host, port, cafile, account, password, prefix, *to):
    ctx = ssl.create_default_context(cafile=cafile)
    with smtplib.SMTP(host, int(port), timeout=30) as smtp:
        smtp.starttls(context=ctx)
        smtp.login(account, password)
        for i, rcpt in enumerate(to, 1):
            msg = ("From: <%s>\r\nTo: <%s>\r\nSubject: %s-%d\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\nHello.\r\n"
                   % (account, rcpt, prefix, i))
            smtp.sendmail(account, [rcpt], msg)
    print("sent %d" % len(to))


def count(host, port, cafile, account, password):
    ctx = ssl.create_default_context(cafile=cafile)
    p = poplib.POP3_SSL(host, int(port), context=ctx, timeout=30)
    p.user(account)
    p.pass_(password)
    n, _ = p.stat()
    print("stat %d" % n)
    for i in range(1, n + 1):
        for line in p.top(i, 0)[1]:
            if line.startswith(b"Subject: "):
                print(line.decode())
    p.quit()


def pop3(host, port, cafile, account, password):
    ctx = ssl.create_default_context(cafile=cafile)
    p = poplib.POP3_SSL(host, int(port), context=ctx, timeout=15)
    p.user(account)
    p.pass_(password)
    n, _ = p.stat()
    print("stat %d" % n)
    for i in range(1, n + 1):
        for line in p.retr(i)[1]:
            print(line.decode("utf-8", "replace"))
        print("--")
    p.quit()


def imap(host, port, cafile, account, password):
    ctx = ssl.create_default_context(cafile=cafile)
    m = imaplib.IMAP4(host, int(port), timeout=15)
    m.starttls(ssl_context=ctx)
    m.login(account, password)
    typ, data = m.select("INBOX")
    print("select %s %s" % (typ, data[0].decode()))
    if int(data[0]) > 0:
        typ, data = m.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        for part in data:
            if isinstance(part, tuple):
                print(part[1].decode().strip())
    m.logout()


def forge(host, port, sender, to):
    msg = "From: <%s>\r\nTo: <%s>\r\nSubject: trust me\r\n\r\nSend me your password.\r\n" % (sender, to)
    with smtplib.SMTP(host, int(port), timeout=15) as smtp:
        try:
            smtp.sendmail(sender, [to], msg)
            print("accepted")
        except smtplib.SMTPDataError as e:
            print("refused %d %s" % (e.smtp_code, e.smtp_error.decode()))


def mx(server, port, domain):
    tid = random.randint(0, 65535)
    q = struct.pack(">HHHHHH", tid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l.encode() for l in domain.split(".")) + b"\0" + struct.pack(">HH", 15, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(q, (server, int(port)))
    data, _ = s.recvfrom(4096)

    def name_at(off):
        labels, end = [], None
        while True:
            n = data[off]
            if n & 0xC0 == 0xC0:
                if end is None:
                    end = off + 2
                off = ((n & 0x3F) << 8) | data[off + 1]
                continue
            if n == 0:
                return ".".join(labels), (end if end is not None else off + 1)
            labels.append(data[off + 1:off + 1 + n].decode())
            off += 1 + n

    print("rcode %d" % (data[3] & 15))
    off = 12
    _, off = name_at(off)
    off += 4
    for _ in range(struct.unpack(">H", data[6:8])[0]):
        _, off = name_at(off)
        t, _, _, rdlen = struct.unpack(">HHIH", data[off:off + 10])
        off += 10
        if t == 15:
            host, _ = name_at(off + 2)
            print("mx %d %s" % (struct.unpack(">H", data[off:off + 2])[0], host))
        off += rdlen


def room_map(url):
    with urllib.request.urlopen(url, timeout=15) as r:
        print(json.dumps(json.load(r)))


if __name__ == "__main__":
    cmds = {"send": send, "sendmany": sendmany, "count": count, "pop3": pop3, "imap": imap, "forge": forge, "mx": mx, "map": room_map}
    cmds[sys.argv[1]](*sys.argv[2:])
