#!/usr/bin/python3
"""Verifies every DKIM signature of a message with dkimpy, keys from a file, no DNS.

usage: verify_dkimpy.py KEYS MESSAGE...
KEYS holds lines "selector._domainkey.domain TXT-value" (the corpus FAKE_DNS.dat format).
For each message prints "== N" (its place in the arguments, from 0), then one line per
signature, topmost first: "pass d=DOMAIN s=SELECTOR" or "fail ...".
Line ends are made CRLF first, as they are on the wire.
"""
import re
import sys

import dkim

keys = {}
for line in open(sys.argv[1], "rb"):
    parts = line.strip().split(None, 1)
    if len(parts) == 2 and not parts[0].startswith(b"#"):
        keys[parts[0].lower().rstrip(b".")] = parts[1]


def dnsfunc(name, timeout=5):
    if isinstance(name, str):
        name = name.encode()
    return keys.get(name.lower().rstrip(b"."))


def text(value):
    if not value:
        return "?"
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def verify(message):
    message = re.sub(rb"(?<!\r)\n", b"\r\n", message)
    d = dkim.DKIM(message)
    count = len([h for h in d.headers if h[0].lower() == b"dkim-signature"])
    for index in range(count):
        verifier = dkim.DKIM(message)
        try:
            ok = verifier.verify(idx=index, dnsfunc=dnsfunc)
        except Exception as error:  # dkimpy raises on malformed signatures
            ok = False
            sys.stderr.write("signature %d: %s\n" % (index, error))
        print("%s d=%s s=%s" % ("pass" if ok else "fail", text(verifier.domain),
                                text(verifier.selector)))


for number, path in enumerate(sys.argv[2:]):
    print("== %d" % number)
    verify(open(path, "rb").read())
