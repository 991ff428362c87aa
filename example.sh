#!/bin/sh
# example.sh - build mailfwd, install it into ./.local, and forward the bundled example.
#
# Needs a JDK 17 or newer and Maven; nothing else, and no root. It plays the part of Postfix
# delivering testmails/postfix-forward.eml through a .forward line, first as a dry run, then
# for real into testmails/capture-sendmail, a fake sendmail that records what it was given.
set -eu
cd "$(dirname "$0")"
top=$PWD

for tool in java mvn; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "example.sh: $tool not found; install a JDK 17+ and Maven first" >&2
        exit 1
    }
done

echo "== 1. build and install: PREFIX=$top/.local ./install.sh"
PREFIX=$top/.local ./install.sh
mailfwd=$top/.local/bin/mailfwd
message=testmails/postfix-forward.eml
capture=$top/.local/example-capture
rm -rf "$capture"
mkdir -p "$capture"

# What Postfix's local(8) exports to a .forward command for alice@example.org. The message
# itself starts with Postfix's From_ line, Return-Path, X-Original-To and Delivered-To.
run_as_postfix() {
    env SENDER=bob@example.com RECIPIENT=alice@example.org \
        ORIGINAL_RECIPIENT=alice@example.org LOCAL=alice DOMAIN=example.org EXTENSION= \
        CAPTURE_DIR="$capture" "$mailfwd" --rules rules.yaml.example "$@" < "$message"
}

echo
sendmail=$top/testmails/capture-sendmail
# An MTA runs mailfwd as the user whose mail it is, and mailfwd refuses to deliver as root
# (the dry run reports that refusal too). This example plays the MTA; on a machine where
# you are root it says so explicitly.
as_root=
if [ "$(id -u)" = 0 ]; then
    as_root=--allow-root
fi
echo "== 2. dry run: mailfwd --dry-run --rules rules.yaml.example $as_root < $message"
run_as_postfix --sendmail "$sendmail" --dry-run $as_root

echo
echo "== 3. real run into testmails/capture-sendmail"
status=0
run_as_postfix --sendmail "$sendmail" --log "$capture/mailfwd.log" $as_root || status=$?
echo "exit status: $status (0 = delivered)"
echo "log line:    $(cat "$capture/mailfwd.log")"

echo
echo "== 4. what the capture sendmail received"
echo "argv, one per line ($capture/argv):"
sed 's/^/    /' "$capture/argv"
echo "diff $message $capture/stdin:"
diff "$message" "$capture/stdin" | sed 's/^/    /' || true
if tail -n +3 "$message" | cmp -s - "$capture/stdin"; then
    echo "=> the forwarded bytes are the input minus its From_ line and Return-Path field"
else
    echo "example.sh: the forwarded bytes differ from the expected ones" >&2
    exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
echo
echo "Next: copy rules.yaml.example to ~/.mailfwd.yaml, put your address under forward:, and"
echo "add the line from README.md, \"How an MTA runs it\", to your .forward or .qmail file."
