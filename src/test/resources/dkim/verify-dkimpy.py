#!/usr/bin/python3
"""Verifies every DKIM signature of each message with dkimpy (Debian's python3-dkim), taking
public keys from a file instead of DNS. Used by the end-to-end tests as a verifier that
shares no code with mailfwd.

usage: verify-dkimpy.py KEYFILE MESSAGE...

KEYFILE has the format of the corpus's FAKE_DNS.dat: "selector._domainkey.domain  TXT" per
line, '#' comments. For each MESSAGE one line is printed:
    MESSAGE sigs=VERDICT,VERDICT,...
with one verdict per DKIM-Signature field, top to bottom: pass, fail, or error:REASON.
Exit status 0 when every message was read, 2 on a usage or file error.
"""
import logging
import sys

import dkim


def load_keys(path):
    keys = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(b"#"):
                continue
            name, _, value = line.partition(b" ")
            keys[name.lower().rstrip(b".")] = value.strip()
    return keys


def verdicts(message, keys):
    def dnsfunc(name, timeout=5):
        return keys.get(name.lower().rstrip(b"."))

    headers, _ = dkim.rfc822_parse(message)
    count = sum(1 for name, _ in headers if name.lower() == b"dkim-signature")
    results = []
    for idx in range(count):
        try:
            # The corpus was signed in 2006-2013 with 512-bit test keys; dkimpy refuses keys
            # under 1024 bits by default, which would hide every verdict behind one error.
            verifier = dkim.DKIM(message, logger=QUIET, minkey=512)
            ok = verifier.verify(idx=idx, dnsfunc=dnsfunc)
            results.append("pass" if ok else "fail")
        except Exception as e:  # a verifier's complaint is a verdict, not a crash
            results.append("error:" + type(e).__name__)
    return results


QUIET = logging.getLogger("verify-dkimpy")
QUIET.addHandler(logging.NullHandler())
QUIET.propagate = False


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: verify-dkimpy.py KEYFILE MESSAGE...\n")
        return 2
    keys = load_keys(argv[1])
    for path in argv[2:]:
        with open(path, "rb") as f:
            message = f.read()
        print(path + " sigs=" + ",".join(verdicts(message, keys)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
