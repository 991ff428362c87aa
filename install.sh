#!/bin/sh
# install.sh - build mailfwd and install its launcher.
#
#   ./install.sh                  installs into /usr/local (bin/mailfwd, lib/mailfwd/)
#   PREFIX=$HOME/.local ./install.sh   installs without root
#
# Needs a JDK 17 or newer and Maven. Set SKIP_BUILD=1 to install an already built
# target/mailfwd.jar, JAVA=/path/to/bin/java to choose the Java the launcher runs, and
# NO_ARCHIVE=1 to skip the class-data archive.
#
# Every message starts a JVM, so start-up is most of a forward's cost (docs/performance.md).
# After copying the jar this script trains a class-data archive on one real forward of a
# bundled test message into a throw-away fake sendmail: an AOT cache (JEP 483/514) on
# Java 25 or newer, a dynamic AppCDS archive on Java 17 to 24. The launcher uses the
# archive when it is there; a JVM that finds it stale or unreadable ignores it silently,
# and mailfwd works as before, only slower. Run this script again after a JDK update.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-/usr/local}
bindir=$prefix/bin
libdir=$prefix/lib/mailfwd
# The AOT cache needs Java 25; Temurin's Debian package puts it here.
temurin25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$here" && mvn -B -q -DskipTests -Dmaven.test.skip=true package)
fi
jar=$here/target/mailfwd.jar
[ -f "$jar" ] || { echo "install.sh: $jar was not built" >&2; exit 1; }

# Pick the Java the launcher will run: JAVA if set, else Temurin 25 (the only one that
# can use an AOT cache), else the java on PATH.
if [ -n "${JAVA:-}" ]; then
    java=$JAVA
elif [ -x "$temurin25" ]; then
    java=$temurin25
else
    java=$(command -v java || true)
fi
[ -n "$java" ] || { echo "install.sh: no java found; set JAVA=/path/to/bin/java" >&2; exit 1; }
feature=$("$java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
[ -n "$feature" ] && [ "$feature" -ge 17 ] \
    || { echo "install.sh: $java is not Java 17 or newer" >&2; exit 1; }

# Flags, each kept because bench/run.sh showed it pays (docs/performance.md):
# - TieredStopAtLevel=1: C1 only; a forward ends before C2 would pay off. It costs the
#   100 MB signed forward dearly (C2 alone has the SHA-256 intrinsic: 1.4 s of CPU to
#   hash 100 MB instead of 0.3 s), but full tiered compilation made every small signed
#   forward about 30-40 ms of CPU dearer, and small messages are nearly all the mail.
# - CompileThresholdScaling=20: compile only what is really hot. A small forward is over
#   before most compilations pay off; this cut CPU per forward by about 15% and left the
#   100 MB forward as fast (its copy loops are hot enough to be compiled anyway).
# - CompileThresholdScaling 0.1 for java.math only: RSA signing is BigInteger arithmetic,
#   which at the global 20 ran interpreted and made the first RSA-2048 signature cost
#   about 110 ms instead of about 40. An unsigned forward hardly touches java.math.
#   CompileCommand=quiet keeps the JVM from printing the command on stdout (Exim).
# - CompileThresholdScaling 0.01 for the DKIM body canonicalization (and the JDK's SHA-256,
#   used when openssl is missing): at the global 20 they ran interpreted for most of a
#   message, and hashing a 140 KB body took 55-60 ms instead of 8-9. Only these methods:
#   compiling all of sun.security or org.mailfwd this early costs compile time for code
#   that runs once.
# - UsePerfData off: no hsperfdata file in /tmp per message.
# - Xlog:disable: the JVM prints archive warnings on stdout, and Exim bounces a message
#   when a pipe command prints anything.
# - SerialGC on 25: one thread, smallest heap set-up. Java 17 keeps G1, because with any
#   other collector it leaves the archived heap objects of the CDS archive unused.
flags="-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 -XX:CompileCommand=quiet"
flags="$flags -XX:CompileCommand=CompileThresholdScaling,java.math.*::*,0.1"
for hot in org.mailfwd.dkim.BodyCanonicalizer::\* org.mailfwd.dkim.MessageSigner::hashBody \
    sun.security.provider.SHA2::\* sun.security.provider.DigestBase::\* \
    sun.security.provider.ByteArrayAccess::\*; do
    flags="$flags -XX:CompileCommand=CompileThresholdScaling,$hot,0.01"
done
flags="$flags -XX:-UsePerfData -Xlog:disable"
if [ "$feature" -ge 25 ]; then
    flags="$flags -XX:+UseSerialGC"
    archive=$libdir/mailfwd.aot
    use=-XX:AOTCache=
    train=-XX:AOTCacheOutput=
    check="-XX:AOTMode=on -XX:AOTCache="
else
    archive=$libdir/mailfwd.jsa
    use=-XX:SharedArchiveFile=
    train=-XX:ArchiveClassesAtExit=
    check="-Xshare:on -XX:SharedArchiveFile="
fi
main=org.mailfwd.cli.Main

mkdir -p "$bindir" "$libdir"
cp "$jar" "$libdir/mailfwd.jar.new" && mv "$libdir/mailfwd.jar.new" "$libdir/mailfwd.jar"
# An archive from an older jar is useless now; a missing one is simply not used.
rm -f "$libdir/mailfwd.aot" "$libdir/mailfwd.jsa"

# Trains the archive on one forward of a bundled message and checks that the JVM accepts
# it. The fake sendmail reads the message and drops it; nothing leaves this machine.
train_archive() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/mailfwd-install.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    # The Postfix example is the most common kind of forward; else any bundled message.
    # (ls would sort the names and pick bounce.eml.)
    message=
    for candidate in "$here"/testmails/postfix-forward.eml "$here"/testmails/*.eml; do
        if [ -f "$candidate" ]; then
            message=$candidate
            break
        fi
    done
    if [ -z "$message" ]; then
        sample_message > "$work/sample.eml"
        message=$work/sample.eml
    fi
    # A second, lower Return-Path, as relayed mail often carries: the code that sets it
    # aside is then in the archive too (a class loaded from the jar instead costs a forward
    # about 3 ms, most of it opening the jar).
    awk '{ print }
        !done && /^Return-Path:/ { print "Return-Path: <earlier-hop@example.net>"; done = 1 }' \
        "$message" > "$work/training.eml"
    message=$work/training.eml
    printf '#!/bin/sh\ncat > /dev/null\n' > "$work/sendmail"
    chmod 755 "$work/sendmail"
    printf 'forward: training@example.invalid\nsendmail: %s\nlog: %s\n' \
        "$work/sendmail" "$work/mailfwd.log" > "$work/rules.yaml"
    # The forward also signs (RSA, with a throw-away key that the system file grants this
    # user), so that jDKIM and the RSA signer are in the archive too: without them a
    # signed forward cost about 300 ms more than an unsigned one (docs/performance.md).
    # --allow-root: install.sh often runs as root, and mailfwd refuses to deliver as root;
    # a refused forward would train the archive on the refusal instead of the delivery.
    set -- --rules "$work/rules.yaml" --allow-root
    if "$java" -cp "$libdir/mailfwd.jar" $main dkim keygen --domain training.example \
        --selector train --out "$work" > /dev/null 2>&1; then
        printf 'signing:\n  origin: {all_mail: true}\n  domains:\n' > "$work/config.yaml"
        printf '    training.example: {selector: train, key: "%s"}\n' \
            "$work/train.private" >> "$work/config.yaml"
        printf '  grants:\n    "%s": [training.example]\n' "$(id -un)" >> "$work/config.yaml"
        printf 'sign: training.example\n' >> "$work/rules.yaml"
        set -- "$@" --config "$work/config.yaml"
    fi
    # A failed forward still trains most of the path; say so, but keep the archive.
    # shellcheck disable=SC2086 # $flags is a list of single-word JVM flags
    env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 HOME="$work" "$java" $flags "$train$archive.new" \
        -cp "$libdir/mailfwd.jar" $main "$@" \
        < "$message" > "$work/out" 2>&1 \
        || echo "install.sh: training forward of $message exited $?" >&2
    # shellcheck disable=SC2086 # $check ends with the flag that takes the file name
    "$java" $flags $check"$archive.new" -cp "$libdir/mailfwd.jar" $main --version \
        > /dev/null 2>&1 || return 1
    chmod 644 "$archive.new" && mv "$archive.new" "$archive"
}

# A small multipart message with the fields a real forward reads; used when testmails/
# holds no message.
sample_message() {
    cat <<'MESSAGE'
Return-Path: <list-bounces@example.org>
Received: from mx.example.org (mx.example.org [192.0.2.1])
	by mail.example.com (Postfix) with ESMTPS id 4F1A2B3C4D
	for <user@example.com>; Fri, 4 Dec 2026 12:00:00 +0000
From: Sender <sender@example.org>
To: user@example.com
Subject: install.sh training message
Date: Fri, 4 Dec 2026 12:00:00 +0000
Message-ID: <training@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

A message that teaches the JVM which classes a forward loads.
--b1--
MESSAGE
}

if [ "${NO_ARCHIVE:-0}" = 1 ]; then
    echo "install.sh: NO_ARCHIVE=1, no class-data archive"
elif train_archive; then
    echo "install.sh: trained $archive"
else
    rm -f "$archive.new"
    echo "install.sh: could not build $archive; mailfwd runs without it" >&2
fi

# The launcher is a fixed argument list: no eval, "$@" passed through untouched. Lines
# with \$ are expanded when the launcher runs, the others now.
cat > "$bindir/mailfwd.new" <<LAUNCHER
#!/bin/sh
# mailfwd launcher, written by install.sh. Uses the class-data archive when it is there;
# the JVM ignores a stale one silently.
#
# A failure here is told as mailfwd tells one: exit 75 (111 under qmail, which sets DTLINE)
# and one status line on stderr, none under Exim (LOCAL_PART or QUALIFY_DOMAIN set), which
# bounces a message when a pipe command prints anything.
# The JVM flags below hold '*' in method patterns: no file name expansion, ever.
set -f
java="$java"
tempfail=75
if [ -n "\${DTLINE+x}\${RPLINE+x}" ]; then
    tempfail=111
fi
defer() {
    if [ -z "\${LOCAL_PART+x}\${QUALIFY_DOMAIN+x}" ]; then
        printf '%s\\n' "\$1" >&2
    fi
    exit "\$tempfail"
}
# The JVM encodes argv and decodes the environment in the locale's charset. MTAs run us
# under the C locale, where a non-ASCII address would become "?"; C.UTF-8 is built into
# glibc, so it exists even where no locale is installed.
LC_ALL=C.UTF-8
export LC_ALL
if [ ! -x "\$java" ] || [ -d "\$java" ]; then
    defer "4.3.5 mailfwd: cannot run \$java (run install.sh again)"
fi
# With fd 0 closed the JVM opens its own files on it and would forward one as the message.
if ! { true 3<&0; } 2>/dev/null; then
    defer "4.3.0 mailfwd: standard input is closed"
fi
share=-Xshare:auto
if [ -r "$archive" ]; then
    share="$use$archive"
fi
# The other commands' exit statuses mean something of their own: hand over to the JVM.
case "\${1-}" in
    check | sign | dkim)
        exec "\$java" $flags "\$share" -cp "$libdir/mailfwd.jar" $main "\$@" ;;
esac
# --help and --version print and exit 0 as they are; not when they are the value of an
# option (--recipient --version is a delivery). The options taking a value are those of
# Options.takesValue; a --name=value word holds its own value.
value=
dry=
for arg do
    if [ -n "\$value" ]; then
        value=
        continue
    fi
    case "\$arg" in
        --help | -h | --version)
            exec "\$java" $flags "\$share" -cp "$libdir/mailfwd.jar" $main "\$@" ;;
        --dry-run)
            dry=1 ;;
        --rules | --config | --sender | --recipient | --sendmail | --log | --mta)
            value=1 ;;
    esac
done
# Where the JVM's output goes (fd 4 and 5). A delivery prints nothing on stdout, but a JVM
# that cannot start writes its error there: it goes to stderr with the status line, and
# under Exim, which bounces a message when a pipe command prints anything, nowhere (the
# status line is not printed there either). A dry run prints its report on stdout.
if [ -n "\$dry" ]; then
    exec 4>&1 5>&2
elif [ -n "\${LOCAL_PART+x}\${QUALIFY_DOMAIN+x}" ]; then
    exec 4>/dev/null 5>/dev/null
else
    exec 4>&2 5>&2
fi
# A delivery: the JVM runs as a child so that an exit status no MTA reads as "try again"
# (1 from a JVM that cannot start, 128+N from a signal) becomes one. An asynchronous child
# would get /dev/null as stdin, hence fd 3; signals sent to this shell reach the JVM.
exec 3<&0
"\$java" $flags "\$share" -cp "$libdir/mailfwd.jar" $main "\$@" <&3 >&4 2>&5 3<&- 4>&- 5>&- &
pid=\$!
exec 3<&- 4>&- 5>&-
trap 'kill -TERM "\$pid" 2>/dev/null' TERM INT HUP
while :; do
    # dash reports a child killed by a signal on stderr; Exim bounces on any output.
    wait "\$pid" 2>/dev/null
    status=\$?
    # wait also returns when a trapped signal arrives; the JVM may still be running.
    if ! kill -0 "\$pid" 2>/dev/null; then
        break
    fi
done
case "\$status" in
    0 | 65 | 75 | 76 | 77 | 100 | 111)
        exit "\$status" ;;
esac
if [ "\$status" -gt 128 ]; then
    defer "4.3.0 mailfwd: java was killed by signal \$((status - 128))"
fi
defer "4.3.0 mailfwd: java exited with status \$status"
LAUNCHER
chmod 755 "$bindir/mailfwd.new"
mv "$bindir/mailfwd.new" "$bindir/mailfwd"
echo "installed $bindir/mailfwd"
