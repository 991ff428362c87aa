#!/bin/sh
# postfix-instance.sh - a private Postfix instance and two test users, for PostfixForwardIT.
#
#   postfix-instance.sh start BASE SINK_PORT LAUNCHER   set up and start everything under BASE
#   postfix-instance.sh stop BASE                       empty the queue, stop, undo all of it
#
# Needs root and Debian's postfix package (.ci/run installs it). The instance lives beside
# any system Postfix without touching it: its own config_directory (BASE/etc), queue
# (BASE/spool) and data directory, no listening socket at all, and a log file of its own
# (BASE/maillog). Mail enters through "sendmail -C BASE/etc"; local(8) exports MAIL_CONFIG,
# so mailfwd's own /usr/sbin/sendmail submits back into the same instance. Every address
# that is not @localhost goes to relayhost [127.0.0.1]:SINK_PORT, the test's recording sink.
#
# The one change outside BASE: BASE/etc is added to alternate_config_directories in the
# system's main.cf, because postdrop lets a non-root user (mailfwd runs as the test user)
# submit into another instance only when the default main.cf lists it. "stop" removes it.
#
# The users mailfwd-a and mailfwd-b get their homes under BASE and a .forward with exactly
# the line the README gives: "|LAUNCHER". Their rule files are written by the test.
set -eu
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH

users="mailfwd-a mailfwd-b"

die() {
    echo "postfix-instance.sh: $*" >&2
    exit 1
}

# Adds or removes one directory in the system main.cf's alternate_config_directories,
# keeping whatever else an admin has listed there.
alternate_dirs() {
    action=$1 dir=$2
    current=$(postconf -h alternate_config_directories | tr ',' ' ')
    kept=""
    for d in $current; do
        [ "$d" = "$dir" ] || kept="$kept $d"
    done
    [ "$action" = add ] && kept="$kept $dir"
    postconf -e "alternate_config_directories =$kept"
}

write_main_cf() {
    base=$1 port=$2
    cat > "$base/etc/main.cf" <<MAIN
# Written by postfix-instance.sh for mailfwd's end-to-end tests; deleted by "stop".
compatibility_level = 3.6
queue_directory = $base/spool
data_directory = $base/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-mailfwd-test
maillog_file_prefixes = $base
maillog_file = $base/maillog
myhostname = mailfwd-test.localhost
mydomain = localhost
myorigin = localhost
mydestination = localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost = [127.0.0.1]:$port
smtp_dns_support_level = disabled
smtp_tls_security_level = none
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
mailbox_size_limit = 0
smtputf8_enable = no
# The sink must see the bytes as local(8) and mailfwd wrote them, never re-encoded.
disable_mime_output_conversion = yes
# Deliver one message at a time to each user, so a test sees each step in order.
local_destination_concurrency_limit = 1
# Retry a deferred message only when the test has long finished with it.
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 7200s
MAIN
}

# No smtpd and no chroot: nothing listens, and no files need copying into the spool.
write_master_cf() {
    cat > "$1/etc/master.cf" <<'MASTER'
# service type  private unpriv  chroot  wakeup  maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
}

start() {
    base=$1 port=$2 launcher=$3
    [ "$(id -u)" = 0 ] || die "must run as root"
    command -v postfix >/dev/null || die "postfix is not installed"
    if [ -d "$base/etc" ]; then
        stop "$base"
    fi
    mkdir -p "$base/etc" "$base/spool" "$base/data" "$base/home"
    chmod 755 "$base" "$base/home"
    chown postfix "$base/data"
    write_main_cf "$base" "$port"
    write_master_cf "$base"
    alternate_dirs add "$base/etc"
    for user in $users; do
        id "$user" >/dev/null 2>&1 || useradd -M -d "$base/home/$user" -s /bin/sh "$user"
        mkdir -p "$base/home/$user"
        printf '"|%s"\n' "$launcher" > "$base/home/$user/.forward"
        chown -R "$user:" "$base/home/$user"
        chmod 700 "$base/home/$user"
        chmod 644 "$base/home/$user/.forward"
    done
    # local(8) runs the launcher as the user: it and its jar must be readable whatever the
    # umask of the install was, and the Java it names must run for that user too.
    chmod -R a+rX "$(dirname "$(dirname "$launcher")")"
    runuser -u mailfwd-a -- "$launcher" --version >/dev/null 2>&1 ||
        die "user mailfwd-a cannot run $launcher (is its java readable by every user?)"
    postfix -c "$base/etc" check
    postfix -c "$base/etc" start
}

stop() {
    base=$1
    if [ -f "$base/etc/main.cf" ]; then
        postsuper -c "$base/etc" -d ALL >/dev/null 2>&1 || true
        if postfix -c "$base/etc" status >/dev/null 2>&1; then
            postfix -c "$base/etc" stop
        fi
        alternate_dirs remove "$base/etc"
    fi
    for user in $users; do
        if id "$user" >/dev/null 2>&1; then
            userdel "$user"
        fi
    done
    rm -rf "$base/etc" "$base/spool" "$base/data" "$base/home" "$base/maillog"
    rmdir "$base" 2>/dev/null || true
}

case "${1:-}" in
    start) [ $# -eq 4 ] || die "usage: $0 start BASE SINK_PORT LAUNCHER"; start "$2" "$3" "$4" ;;
    stop) [ $# -eq 2 ] || die "usage: $0 stop BASE"; stop "$2" ;;
    *) die "usage: $0 start BASE SINK_PORT LAUNCHER | stop BASE" ;;
esac
