"""Submit mail to Maillab's MSA with Python's smtplib (standard library only).

usage: smtp_client.py MODE HOST PORT CAFILE SUBJECT
MODE: starttls | ssl | wrong-password | auth-before-starttls
Prints one result line; exits 0 when the server behaved as expected.
"""
import base64
import smtplib
import ssl
import sys

ALICE, PASSWORD, BOB = "alice@example.org", "wonderland", "bob@example.net"


def message(subject):
    return ("From: Alice <%s>\r\nTo: Bob <%s>\r\nSubject: %s\r\n"
            "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n\r\nHello from Python.\r\n"
            % (ALICE, BOB, subject))


def send(smtp, subject):
    smtp.login(ALICE, PASSWORD)
    refused = smtp.sendmail(ALICE, [BOB], message(subject))
    print("sent refused=%d" % len(refused))


def main(mode, host, port, cafile, subject):
    ctx = ssl.create_default_context(cafile=cafile)
    if mode == "ssl":
        with smtplib.SMTP_SSL(host, port, context=ctx, timeout=15) as smtp:
            send(smtp, subject)
        return 0
    with smtplib.SMTP(host, port, timeout=15) as smtp:
        if mode == "auth-before-starttls":
            # smtplib refuses to AUTH when it is not advertised, so the
            # command goes out by hand: RFC 3207 §4 asks for 530 here.
            smtp.ehlo()
            resp = base64.b64encode(("\0%s\0%s" % (ALICE, PASSWORD)).encode()).decode()
            code, text = smtp.docmd("AUTH", "PLAIN " + resp)
            print("auth %d %s" % (code, text.decode()))
            return 0 if code == 530 else 1
        smtp.starttls(context=ctx)
        if mode == "starttls":
            send(smtp, subject)
            return 0
        if mode == "wrong-password":
            try:
                smtp.login(ALICE, "not-" + PASSWORD)
            except smtplib.SMTPAuthenticationError as err:
                print("auth-error %d %s" % (err.smtp_code, err.smtp_error.decode()))
                return 0
            print("login accepted a wrong password")
            return 1
    print("unknown mode " + mode)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]))
