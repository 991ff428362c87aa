#!/bin/sh
# install.sh - build mailfwd and install its launcher.
#
#   ./install.sh                  installs into /usr/local (bin/mailfwd, lib/mailfwd/)
#   PREFIX=$HOME/.local ./install.sh   installs without root
#
# Needs a JDK 17 or newer and Maven. Set SKIP_BUILD=1 to install an already built
# target/mailfwd.jar.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-/usr/local}
bindir=$prefix/bin
libdir=$prefix/lib/mailfwd

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$here" && mvn -B -q -DskipTests -Dmaven.test.skip=true package)
fi
jar=$here/target/mailfwd.jar
[ -f "$jar" ] || { echo "install.sh: $jar was not built" >&2; exit 1; }

# Pick the Java the launcher will run. Without an explicit JAVA, prefer the java on PATH.
java=${JAVA:-$(command -v java || true)}
[ -n "$java" ] || { echo "install.sh: no java found; set JAVA=/path/to/bin/java" >&2; exit 1; }

mkdir -p "$bindir" "$libdir"
cp "$jar" "$libdir/mailfwd.jar.new" && mv "$libdir/mailfwd.jar.new" "$libdir/mailfwd.jar"

# The launcher is a fixed argument list: exec, no eval, "$@" passed through untouched.
cat > "$bindir/mailfwd.new" <<LAUNCHER
#!/bin/sh
# mailfwd launcher, written by install.sh
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \\
    -jar "$libdir/mailfwd.jar" "\$@"
LAUNCHER
chmod 755 "$bindir/mailfwd.new"
mv "$bindir/mailfwd.new" "$bindir/mailfwd"
echo "installed $bindir/mailfwd"
