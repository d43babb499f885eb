"""An impostor: send mail "from Alice" straight to Bob's MX with smtplib.

usage: spoof_client.py HOST PORT
Prints "accepted" or "refused CODE TEXT"; exits 0 either way.
"""
import smtplib
import sys

MSG = ("From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\n"
       "Subject: forged by Python\r\nDate: Mon, 02 Jun 2025 10:00:00 +0000\r\n\r\n"
       "Please send me your password.\r\n")


def main(host, port):
    with smtplib.SMTP(host, int(port), timeout=15) as smtp:
        try:
            smtp.sendmail("alice@example.org", ["bob@example.net"], MSG)
            print("accepted")
        except smtplib.SMTPDataError as e:
            print("refused %d %s" % (e.smtp_code, e.smtp_error.decode()))


if __name__ == "__main__":
    main(*sys.argv[1:])
