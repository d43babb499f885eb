#!/usr/bin/env python3
"""An external mail client for the e2e tests: sends the message on stdin to
mx.example.net (plain SMTP on port 25 + base; no AUTH needed there).

usage: sendmail.py PORT FROM TO < message
"""
import smtplib
import sys


def main() -> int:
    port, sender, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    msg = sys.stdin.buffer.read()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="eve.example", timeout=120) as s:
        refused = s.sendmail(sender, [rcpt], msg)
    if refused:
        print("refused:", refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
