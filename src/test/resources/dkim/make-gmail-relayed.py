#!/usr/bin/python3
"""Writes testmails/gmail-relayed.eml: a message signed by its author's domain, forwarded by
a Gmail-like relay that signs again, then delivered with a second Return-Path on top.

Run from the top of the checkout to regenerate:
    /usr/bin/python3 src/test/resources/dkim/make-gmail-relayed.py
The key is testmails-key.pem; its public half is in testmails.dns. The signing time (t=) is
fixed at the Date of the message, so regenerating gives the same bytes.
"""
import time

import dkim

# 2026-11-03 08:14:03 UTC, when the message passed the relay; dkimpy reads time.time().
time.time = lambda: 1793693643

KEY = open("src/test/resources/dkim/testmails-key.pem", "rb").read()

original = (
    b"Received: from [192.0.2.10] (client.example.com [192.0.2.10])\n"
    b"\tby mail.example.com (Postfix) with ESMTPSA id 4XyZ1a2b3c\n"
    b"\tfor <alice@example.net>; Tue, 3 Nov 2026 09:14:02 +0100 (CET)\n"
    b"From: Bob Example <bob@example.com>\n"
    b"To: Alice <alice@example.net>\n"
    b"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_dem_B=C3=BCro?=\n"
    b"Date: Tue, 3 Nov 2026 09:14:01 +0100\n"
    b"Message-ID: <20261103081401.GA4711@mail.example.com>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n"
    b"\n"
    b"Hallo Alice,\n"
    b"\n"
    b"die Unterlagen liegen im B\xc3\xbcro.  Zwei Leerzeichen bleiben zwei.\n"
    b"From here on, a line that starts with From stays as it is.\n"
    b"\n"
    b"Gr\xc3\xbc\xc3\x9fe, Bob\n"
)
signature = dkim.sign(original, b"mailfwd-test", b"example.com", KEY,
                      canonicalize=(b"relaxed", b"relaxed"),
                      include_headers=[b"from", b"to", b"subject", b"date",
                                       b"message-id", b"mime-version", b"content-type",
                                       b"content-transfer-encoding"])
signed = signature.replace(b"\r\n", b"\n") + original

# The mailbox at example.net keeps a Return-Path, and its auto-forward keeps that field.
relayed = (
    b"X-Forwarded-To: alice@example.org\n"
    b"X-Forwarded-For: alice@example.net alice@example.org\n"
    b"Received: by 2002:a05:6000:1a8d:b0:3a1::5 with SMTP id f13csp123456wrb;\n"
    b"        Tue, 3 Nov 2026 00:14:03 -0800 (PST)\n"
    b"Return-Path: <bob@example.com>\n"
    b"Received: from mail.example.com (mail.example.com. [192.0.2.25])\n"
    b"        by mx.example.net with ESMTPS id a1b2c3d4e5f6\n"
    b"        for <alice@example.net>; Tue, 3 Nov 2026 00:14:03 -0800 (PST)\n"
) + signed
relay_signature = dkim.sign(relayed, b"fwd2026", b"example.net", KEY,
                            canonicalize=(b"simple", b"simple"),
                            include_headers=[b"x-forwarded-to", b"x-forwarded-for",
                                             b"from", b"to", b"subject", b"date",
                                             b"message-id"])
forwarded = relay_signature.replace(b"\r\n", b"\n") + relayed

# Final delivery at example.org writes its own Return-Path (the relay's SRS-like sender).
delivered = (
    b"Return-Path: <alice+caf_=alice=example.org@example.net>\n"
    b"Delivered-To: alice@example.org\n"
    b"Received: from mail-wr1-f41.example.net (mail-wr1-f41.example.net [198.51.100.41])\n"
    b"\tby mx.example.org (Postfix) with ESMTPS id 7Q2w3e4r5t\n"
    b"\tfor <alice@example.org>; Tue,  3 Nov 2026 09:14:04 +0100 (CET)\n"
) + forwarded
open("testmails/gmail-relayed.eml", "wb").write(delivered)
