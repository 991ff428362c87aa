#!/usr/bin/env python3
"""Writes the benchmark's test messages: realistic, repeatable, and never sent anywhere.

    genmail.py DIR COUNT [SEED]      COUNT messages of 2 KB to 200 KB as DIR/NNN.eml
    genmail.py --big FILE MEGABYTES  one message of that size with a base64 attachment

Every message is multipart, has a trace of Received fields and one to three Return-Path
fields (the topmost is the envelope sender; lower ones are stale copies from earlier hops,
the case a forwarder must not get wrong). Line ends are LF, as an MTA pipes them.
"""
import base64
import math
import os
import random
import sys

WORDS = ("the of and to in is that for it as was with be by on not he this are or his from "
         "at which but have an they you were her she there been one all we their has would "
         "when if so no will more up out who can what said about other into than its some "
         "mailing list forward envelope sender header delivery queue relay domain").split()


def text(rng, size):
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 13)))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def b64(rng, size):
    raw = rng.randbytes(size * 3 // 4)
    encoded = base64.b64encode(raw).decode()
    return "\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76)) + "\n"


def header(rng, n, return_paths):
    host = f"mx{n % 7}.example.net"
    fields = [f"Return-Path: <{addr}>" for addr in return_paths]
    for hop in range(rng.randint(2, 6)):
        fields.append(f"Received: from relay{hop}.example.org (relay{hop}.example.org "
                      f"[192.0.2.{hop + 10}])\n\tby {host} (Postfix) with ESMTPS id "
                      f"{rng.getrandbits(40):X}\n\tfor <alice@example.com>; "
                      f"Fri, 4 Dec 2026 1{hop}:0{n % 10}:00 +0000")
    fields += [
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\n"
        f"\th=from:to:subject:date:message-id; bh={base64.b64encode(rng.randbytes(32)).decode()};"
        f"\n\tb={base64.b64encode(rng.randbytes(256)).decode()}",
        f"From: Sender {n} <sender{n}@example.org>",
        "To: Alice <alice@example.com>",
        f"Subject: benchmark message {n}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
        f"Date: Fri, 4 Dec 2026 12:{n % 60:02d}:00 +0000",
        f"Message-ID: <bench-{n}-{rng.getrandbits(32):08x}@example.org>",
        "MIME-Version: 1.0",
    ]
    return fields


def message(rng, n, size):
    boundary = f"=_bench_{rng.getrandbits(48):012x}"
    senders = [f"bounce-{n}@lists.example.org"]
    if n % 3 == 0:
        senders += [f"stale{k}-{n}@old.example.net" for k in range(1 + n % 2)]
    parts = []
    body_text = text(rng, min(size // 3, 8000))
    parts.append("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                 + body_text)
    parts.append("Content-Type: text/html; charset=utf-8\n\n<html><body><p>"
                 + body_text.replace("\n", "</p>\n<p>") + "</p></body></html>\n")
    fields = header(rng, n, senders)
    fields.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    so_far = sum(len(f) + 1 for f in fields) + sum(len(p) for p in parts) + 200
    if size > so_far + 200:
        parts.append(f'Content-Type: application/pdf; name="report-{n}.pdf"\n'
                     "Content-Transfer-Encoding: base64\n"
                     f'Content-Disposition: attachment; filename="report-{n}.pdf"\n\n'
                     + b64(rng, size - so_far))
    body = "This is a multi-part message in MIME format.\n\n"
    body += "".join(f"--{boundary}\n{p}\n" for p in parts) + f"--{boundary}--\n"
    return "\n".join(fields) + "\n\n" + body


def many(directory, count, seed):
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    for n in range(count):
        # Log-uniform between 2 KB and 200 KB: most mail is small, some carries attachments.
        size = int(math.exp(rng.uniform(math.log(2048), math.log(200 * 1024))))
        with open(os.path.join(directory, f"{n:03d}.eml"), "w", encoding="utf-8") as out:
            out.write(message(rng, n, size))


def big(path, megabytes):
    rng = random.Random(7)
    boundary = "=_bench_big"
    fields = header(rng, 1, ["bounce-big@lists.example.org", "stale@old.example.net"])
    fields.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    block = b64(rng, 1 << 20).encode()
    target = megabytes << 20
    with open(path, "wb") as out:
        out.write(("\n".join(fields) + f"\n\n--{boundary}\nContent-Type: text/plain\n\n"
                   + text(rng, 2000) + f"\n--{boundary}\nContent-Type: application/octet-stream"
                   "\nContent-Transfer-Encoding: base64\n\n").encode())
        while out.tell() + len(block) < target:
            out.write(block)
        out.write(f"\n--{boundary}--\n".encode())


if __name__ == "__main__":
    if sys.argv[1] == "--big":
        big(sys.argv[2], int(sys.argv[3]))
    else:
        many(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
