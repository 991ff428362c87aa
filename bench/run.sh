#!/usr/bin/env bash
# bench/run.sh - how fast mailfwd forwards, against the floor and against procmail.
#
#   bench/run.sh [-n MESSAGES] [-r ROUNDS] [--big-mb MB] [--no-big] [--sign RULES.in]
#                [--sign-config CONFIG.in] [--no-sign]
#
# 1. Installs mailfwd with ./install.sh into bench/out/prefix (the real launcher with its
#    class-data archive; the jar is rebuilt only when a source is newer than it).
# 2. Builds the floor (bench/Floor.java) with an AppCDS archive for Java 17 and an AOT
#    cache for Java 25, each trained on one forward.
# 3. Generates MESSAGES realistic messages (2 KB to 200 KB, multipart, some with several
#    Return-Path fields) and forwards each, ROUNDS times, with its own process through
#    mailfwd, floor17, floor25 and procmail + formail, interleaved, into the same recording
#    fake sendmail (bench/fake-sendmail), checking that all forwarded the same bytes.
#    Prints medians, peak RSS and the ratios; the faster floor counts.
# 4. Forwards one MB-megabyte message (default 100) with the heap capped at 64 MB, and
#    times sha256sum on the same file; prints both wall times and peak RSS (GNU time).
# 5. With --sign RULES.in, or when bench/sign-rules.yaml.in exists, repeats 3 and 4 with
#    that rule file and the system file CONFIG.in (default bench/sign-config.yaml.in),
#    which turn DKIM signing on: the system file holds the signing table and grants its
#    row to this user, the rule file asks for it with sign:. In both, @SENDMAIL@, @LOG@,
#    @KEY@ (a fresh RSA-2048 private key in PEM) and @USER@ (id -un) are replaced. One
#    signed forward is checked with dkimpy (/usr/bin/python3, python3-dkim) first, and
#    every signed forward must carry DKIM-Signature fields on top of the same bytes.
#
# Takes two to three minutes with the defaults. Results go to stdout and to
# bench/out/results.txt. Exit status 3 means a target was missed, 1 a failed forward.
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$bench")
out=$bench/out
messages=60
rounds=2
big_mb=100
sign_template=
sign_config_template=$bench/sign-config.yaml.in
[ -f "$bench/sign-rules.yaml.in" ] && sign_template=$bench/sign-rules.yaml.in
while [ $# -gt 0 ]; do
    case $1 in
        -n) messages=$2; shift 2 ;;
        -r) rounds=$2; shift 2 ;;
        --big-mb) big_mb=$2; shift 2 ;;
        --no-big) big_mb=0; shift ;;
        --sign) sign_template=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --sign-config)
            sign_config_template=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
        --no-sign) sign_template=; shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done

java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
# The same flags as the installed launcher (install.sh explains each).
flags17="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:-UsePerfData -Xlog:disable"
flags25="$flags17 -XX:+UseSerialGC"

mkdir -p "$out"
exec > >(tee "$out/results.txt") 2>&1
echo "# bench/run.sh $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(uname -r)"
echo "# commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git -C "$top" status --porcelain 2>/dev/null | grep -q . && echo '(dirty)')"

# --- 1. mailfwd, installed as a user would -------------------------------------------
jar=$top/target/mailfwd.jar
if [ -f "$jar" ] && [ -z "$(find "$top/src/main" "$top/pom.xml" -newer "$jar" | head -1)" ]
then
    skip_build=1
else
    skip_build=0
fi
rm -rf "$out/prefix"
PREFIX=$out/prefix SKIP_BUILD=$skip_build "$top/install.sh" | sed 's/^/# /'
mailfwd=$out/prefix/bin/mailfwd
# mailfwd refuses to deliver as root (a rule file run as root could write anywhere); the
# benchmark often runs as root on a test machine, so it says so, as install.sh does.
as_root=
[ "$(id -u)" -ne 0 ] || as_root=--allow-root

# --- 2. the floor ------------------------------------------------------------------
rm -rf "$out/floor" && mkdir -p "$out/floor/classes"
"$(dirname "$java17")/javac" --release 17 -d "$out/floor/classes" "$bench/Floor.java"
(cd "$out/floor/classes" && "$(dirname "$java17")/jar" cf ../floor.jar Floor.class)
floor_jar=$out/floor/floor.jar

# --- messages and the environment every forwarder gets ------------------------------
rm -rf "$out/messages"
python3 "$bench/genmail.py" "$out/messages" "$messages" 1
rm -rf "$out/home" && mkdir -p "$out/home"
rules=$out/home/.mailfwd.yaml
printf 'forward: bob@example.net\nsendmail: %s\nlog: %s\n' \
    "$bench/fake-sendmail" "$out/home/mailfwd.log" > "$rules"
export HOME=$out/home BENCH_SENDMAIL=$bench/fake-sendmail BENCH_RCPT=bob@example.net
unset SENDER RECIPIENT ORIGINAL_RECIPIENT DTLINE RPLINE LOCAL_PART QUALIFY_DOMAIN
first=$(ls "$out/messages"/*.eml | head -1)

# Train the floor's archives on one forward each, as install.sh does for mailfwd.
BENCH_RECORD=$out/train $java17 $flags17 -XX:ArchiveClassesAtExit="$out/floor/floor.jsa" \
    -cp "$floor_jar" Floor "$rules" < "$first" > /dev/null 2>&1
BENCH_RECORD=$out/train $java25 $flags25 -XX:AOTCacheOutput="$out/floor/floor.aot" \
    -cp "$floor_jar" Floor "$rules" < "$first" > /dev/null 2>&1
floor17="$java17 $flags17 -XX:SharedArchiveFile=$out/floor/floor.jsa -cp $floor_jar Floor $rules"
floor25="$java25 $flags25 -XX:AOTCache=$out/floor/floor.aot -cp $floor_jar Floor $rules"

procmail=()
if command -v procmail > /dev/null && command -v formail > /dev/null; then
    procmail=("procmail=procmail -p -m $bench/procmailrc")
else
    echo "# procmail or formail missing (apt-get install procmail): no procmail figures"
fi

status=0
# forwards LABEL RULES TARGET [EXTRA]: EXTRA is more mailfwd arguments; when it is set the
# forwards are signed ones (--config with a signing table).
forwards() {
    local label=$1 rule_file=$2 extra=${4:-} signed=()
    [ -z "$extra" ] || signed=(--signed mailfwd)
    echo
    echo "## $label: $messages messages x $rounds rounds, one process per forward"
    python3 "$bench/drive.py" --messages "$out/messages" --record "$out/record" \
        --repeat "$rounds" --subject mailfwd --floors floor17,floor25 --target "$3" \
        "${signed[@]}" \
        "mailfwd=$mailfwd $as_root --rules $rule_file $extra" \
        "floor17=$floor17" "floor25=$floor25" \
        "${procmail[@]}" || status=$?
}

cpu() {
    python3 -c 'import sys; print(f"{float(sys.argv[1]) + float(sys.argv[2]):.2f}")' "$1" "$2"
}

# --- 4. one big message --------------------------------------------------------------
big() {
    local label=$1 rule_file=$2 extra=${3:-}
    [ "$big_mb" -gt 0 ] || return 0
    local file=$out/big-$big_mb.eml
    [ -f "$file" ] || python3 "$bench/genmail.py" --big "$file" "$big_mb"
    local expected
    expected=$(python3 - "$file" <<'PY'
import hashlib, sys
# What a forward must hand on: the input less its Return-Path fields.
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    in_header = True
    for line in f:
        if in_header and line in (b"\n", b"\r\n"):
            in_header = False
        if not (in_header and line.lower().startswith(b"return-path:")):
            h.update(line)
print(h.hexdigest())
PY
)
    echo
    echo "## $label: one $big_mb MB message ($(stat -c %s "$file") bytes), heap capped at 64 MB"
    echo "# CPU = user + system time of the process and its children (for mailfwd: the"
    echo "# fake sendmail's cat, which writes the message to its record file)"
    printf '%-10s %9s %9s %12s\n' run "wall s" "CPU s" "peak RSS MB"
    local sha=() fwd=() i failed=0
    for i in 1 2 3; do
        # Interleaved, like the small messages; GNU time reports wall time and peak RSS.
        /usr/bin/time -f '%e %M %U %S' -o "$out/time" sha256sum "$file" > /dev/null
        read -r wall rss user sys < "$out/time"
        sha+=("$wall")
        printf '%-10s %9s %9s %12s\n' sha256sum "$wall" "$(cpu "$user" "$sys")" "$((rss / 1024))"
        rm -f "$out/record.msg"
        JAVA_TOOL_OPTIONS=-Xmx64m BENCH_RECORD=$out/record \
            /usr/bin/time -f '%e %M %U %S' -o "$out/time" "$mailfwd" $as_root \
            --rules "$rule_file" $extra < "$file" 2> "$out/big.err" \
            || { cat "$out/big.err"; status=1; failed=1; }
        read -r wall rss user sys < <(tail -1 "$out/time")
        fwd+=("$wall")
        printf '%-10s %9s %9s %12s\n' mailfwd "$wall" "$(cpu "$user" "$sys")" "$((rss / 1024))"
        if [ "$(forwarded_hash "$out/record.msg" "$extra")" != "$expected" ]; then
            echo "FAIL: the forwarded $big_mb MB message is not the input less Return-Path" \
                "${extra:+(with DKIM-Signature fields on top)}"
            status=1
            failed=1
        fi
        [ $((rss / 1024)) -lt 96 ] || { echo "peak RSS target (< 96 MB) MISSED"; status=3; }
    done
    rm -f "$out/record.msg"
    if [ "$failed" -ne 0 ]; then
        echo "no ratio: a forward of the big message failed"
        return 0
    fi
    python3 - "${sha[*]}" "${fwd[*]}" <<'PY'
import statistics, sys
sha = statistics.median(map(float, sys.argv[1].split()))
fwd = statistics.median(map(float, sys.argv[2].split()))
ratio = fwd / sha
print(f"median: mailfwd {fwd:.2f} s, sha256sum {sha:.2f} s, mailfwd / sha256sum = "
      f"{ratio:.2f}  (target <= 2.50: {'MISSED' if ratio > 2.5 else 'met'})")
sys.exit(3 if ratio > 2.5 else 0)
PY
    [ $? -eq 0 ] || status=3
}

# forwarded_hash FILE [SIGNED]: sha256 of a forwarded message; when SIGNED is set, of the
# message less the DKIM-Signature fields on top, which must be there.
forwarded_hash() {
    if [ -z "${2:-}" ]; then
        sha256sum < "$1" | cut -d' ' -f1
        return
    fi
    python3 - "$1" <<'PY'
import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    line = f.readline()
    signed = False
    while line.lower().startswith(b"dkim-signature:"):
        signed = True
        line = f.readline()
        while line[:1] in (b" ", b"\t"):
            line = f.readline()
    while line:
        h.update(line)
        line = f.readline()
print(h.hexdigest() if signed else "unsigned")
PY
}

forwards "forward, unsigned" "$rules" 1.30
big "forward, unsigned" "$rules" || status=3

# --- 5. signing ----------------------------------------------------------------------
if [ -n "$sign_template" ]; then
    rm -f "$out/dkim.key"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -out "$out/dkim.key" 2> /dev/null)
    fill() {
        sed -e "s|@SENDMAIL@|$bench/fake-sendmail|g" -e "s|@LOG@|$out/home/mailfwd.log|g" \
            -e "s|@KEY@|$out/dkim.key|g" -e "s|@USER@|$(id -un)|g" "$1" > "$2"
    }
    sign_rules=$out/home/sign.yaml
    sign_config=$out/home/sign-config.yaml
    fill "$sign_template" "$sign_rules"
    fill "$sign_config_template" "$sign_config"
    "$mailfwd" check --config "$sign_config" "$sign_rules" | sed 's/^/# /' || status=1
    # One signed forward, verified by dkimpy with the public key in place of DNS, so that
    # what is timed below is real signing.
    rm -f "$out/record.msg"
    BENCH_RECORD=$out/record "$mailfwd" $as_root --rules "$sign_rules" \
        --config "$sign_config" < "$first" || status=1
    /usr/bin/python3 - "$out/record.msg" "$out/dkim.key" <<'PY' || status=1
import base64, subprocess, sys
import dkim
der = subprocess.run(["openssl", "pkey", "-in", sys.argv[2], "-pubout", "-outform", "DER"],
                     check=True, capture_output=True).stdout
record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
message = open(sys.argv[1], "rb").read()
ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
print(f"# dkimpy verifies a signed forward (d=bench.example s=bench): {ok}")
sys.exit(0 if ok else 1)
PY
    # The floor does not sign; the target for signing is 1.8x the same floor.
    forwards "forward, DKIM-signed (RSA-2048)" "$sign_rules" 1.80 "--config $sign_config"
    big "forward, DKIM-signed (RSA-2048)" "$sign_rules" "--config $sign_config" || status=3
else
    echo
    echo "## signing: skipped (no bench/sign-rules.yaml.in and no --sign RULES.in)"
fi
exit $status
