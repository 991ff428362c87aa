#!/usr/bin/env python3
"""Times forwarders one process per message, interleaved, and checks what they forwarded.

    drive.py --messages DIR --record FILE [--warmup N] [--repeat R] NAME=COMMAND ...

Each COMMAND is split like a shell word list (no shell runs it) and gets one message on
stdin. For every message the forwarders run in turn (A B C A B C ...), so that a slow
moment of the machine hits them all alike. Wall time is taken around fork to wait4, and
peak RSS is wait4's ru_maxrss, the figure GNU time prints as %M. After each run the
recorded message is compared with the first forwarder's: all must forward the same bytes
to the same argv (procmail may add one trailing empty line, which it always does; the
--signed forwarders must put DKIM-Signature fields on top, which are set aside before the
comparison).
"""
import argparse
import hashlib
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(argv, message, env):
    with open(message, "rb") as stdin:
        start = time.perf_counter_ns()
        child = subprocess.Popen(argv, stdin=stdin, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter_ns() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return elapsed / 1e6, usage.ru_maxrss / 1024, child.returncode, cpu


def without_signatures(data):
    """The message less the DKIM-Signature fields on top; None when there are none."""
    lines = data.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].lower().startswith(b"dkim-signature:"):
        i += 1
        while i < len(lines) and lines[i][:1] in (b" ", b"\t"):
            i += 1
    return b"\n".join(lines[i:]) if i else None


def recorded(record, name, signed=None):
    with open(record + ".msg", "rb") as f:
        data = f.read()
    if name == "procmail" and data.endswith(b"\n\n"):
        data = data[:-1]
    if signed and name in signed.split(","):
        data = without_signatures(data)
        if data is None:
            return "unsigned", b""
    with open(record + ".argv", "rb") as f:
        argv = f.read()
    return hashlib.sha256(data).hexdigest(), argv


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", required=True)
    parser.add_argument("--record", required=True)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--subject", help="the forwarder the ratios are about")
    parser.add_argument("--floors", default="", help="comma list; the faster one counts")
    parser.add_argument("--target", type=float, help="largest subject/floor ratio allowed")
    parser.add_argument("--signed",
                        help="the forwarders (a comma list) that must add DKIM signatures")
    parser.add_argument("tools", nargs="+")
    args = parser.parse_args()
    tools = []
    for spec in args.tools:
        name, _, command = spec.partition("=")
        tools.append((name, shlex.split(command)))
    messages = sorted(os.path.join(args.messages, m) for m in os.listdir(args.messages))
    env = dict(os.environ, BENCH_RECORD=args.record)
    times = {name: [] for name, _ in tools}
    rss = {name: [] for name, _ in tools}
    cpu = {name: [] for name, _ in tools}
    for name, argv in tools:
        for _ in range(args.warmup):
            run(argv, messages[0], env)
    failures = 0
    for _ in range(args.repeat):
        for message in messages:
            expected = None
            for name, argv in tools:
                for suffix in (".msg", ".argv"):
                    if os.path.exists(args.record + suffix):
                        os.unlink(args.record + suffix)
                ms, peak, code, cpu_ms = run(argv, message, env)
                if code != 0 or not os.path.exists(args.record + ".msg"):
                    print(f"FAIL {name} {message}: exit {code}", file=sys.stderr)
                    failures += 1
                    continue
                got = recorded(args.record, name, args.signed)
                if got[0] == "unsigned":
                    print(f"FAIL {name} {message}: no DKIM-Signature on top", file=sys.stderr)
                    failures += 1
                    continue
                if expected is None:
                    expected = got
                elif got != expected:
                    print(f"FAIL {name} {message}: forwarded other bytes or argv than "
                          f"{tools[0][0]}", file=sys.stderr)
                    failures += 1
                times[name].append(ms)
                rss[name].append(peak)
                cpu[name].append(cpu_ms)
    count = len(messages) * args.repeat
    print(f"{count} forwards per tool, {len(messages)} messages, interleaved "
          f"({' '.join(n for n, _ in tools)} ...)")
    print(f"{'tool':<10}{'median ms':>10}{'p90 ms':>9}{'mean ms':>9}{'CPU ms':>8}"
          f"{'peak RSS median MB':>20}{'max MB':>8}")
    for name, _ in tools:
        t, r = times[name], rss[name]
        if not t:
            continue
        print(f"{name:<10}{statistics.median(t):>10.1f}{percentile(t, 90):>9.1f}"
              f"{statistics.mean(t):>9.1f}{statistics.median(cpu[name]):>8.1f}"
              f"{statistics.median(r):>20.1f}{max(r):>8.1f}")
    print("(median wall time per forward; CPU = median user + system time, children included)")
    missed = summarize(args, times, cpu)
    if failures:
        print(f"{failures} runs failed or forwarded the wrong bytes", file=sys.stderr)
        sys.exit(1)
    if missed:
        sys.exit(3)


def summarize(args, times, cpu):
    """Prints the ratios of medians; returns whether the target was missed."""
    if not args.subject or not times.get(args.subject):
        return False
    subject = statistics.median(times[args.subject])
    floors = [f for f in args.floors.split(",") if times.get(f)]
    missed = False
    if floors:
        floor = min(floors, key=lambda f: statistics.median(times[f]))
        ratio = subject / statistics.median(times[floor])
        verdict = ""
        if args.target:
            missed = ratio > args.target
            verdict = f"  (target <= {args.target:.2f}: {'MISSED' if missed else 'met'})"
        print(f"{args.subject} / floor ({floor}, the faster floor) = {ratio:.2f}{verdict}")
        paired = [a / b for a, b in zip(times[args.subject], times[floor])]
        print(f"  median of per-message ratios {args.subject}/{floor} = "
              f"{statistics.median(paired):.2f}; of CPU medians = "
              f"{statistics.median(cpu[args.subject]) / statistics.median(cpu[floor]):.2f}")
    for other in times:
        if other != args.subject and other not in floors and times[other]:
            print(f"{args.subject} / {other} = "
                  f"{subject / statistics.median(times[other]):.2f}")
    return missed


if __name__ == "__main__":
    main()
