#!/bin/sh
# cupsd-rig.sh: a private CUPS scheduler for tests, on its own 127.0.0.1 port
# and in its own directory, so tests never touch the system's cupsd.
#
#   cupsd-rig.sh start DIR [--queue NAME]...
#       Starts cupsd in DIR (created if needed) and adds each queue (default:
#       one queue "linli-test") with a file: device DIR/NAME.pdf and the
#       Generic-PDF PPD; the first queue is the server's default. Prints
#       shell assignments for the caller to eval:
#         CUPS_SERVER=127.0.0.1:PORT   CUPS_RIG_DIR=DIR
#         CUPS_RIG_QUEUE=NAME          CUPS_RIG_OUTPUT=DIR/NAME.pdf
#         CUPS_RIG_SCRIPT=this script (for restart)
#       cupsd runs its backends from a ServerBin of its own (DIR/serverbin,
#       links to /usr/lib/cups) that adds backend-linli-test, a printer with
#       faults: lpadmin -v linli-test:/paper-out, :/jam or :/slow.
#   cupsd-rig.sh stop DIR
#       Stops the cupsd started in DIR (files are left for inspection).
#   cupsd-rig.sh restart DIR
#       Stops that cupsd and starts a new one on the same port with the same
#       queues (jobs in the queues survive, as across a real restart).
#   cupsd-rig.sh run [--queue NAME]... -- COMMAND [ARG]...
#       start in a fresh temporary directory, run COMMAND with those
#       variables exported, then stop cupsd and remove the directory
#       whatever happens (kept, and named on stderr, when COMMAND fails).
#       Exits with COMMAND's status.
#
# Exits 77 (the "skipped" status of meson and automake) when cupsd, lpadmin,
# lpstat or the Generic-PDF PPD are missing. Traps: a raw job to a file:
# device writes nothing (hence the PDF PPD); output files are mode 0600.
set -eu

PPD=${CUPS_RIG_PPD:-/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd}
RIG_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
TEST_BACKEND=$(dirname "$RIG_SCRIPT")/backend-linli-test
START_TIMEOUT=10 # seconds for cupsd to answer

die () {
    echo "cupsd-rig: $*" >&2
    exit 1
}

skip () {
    # CI installs every tool, so there a missing one is a failure.
    if [ -n "${CI:-}" ]; then
        die "$*"
    fi
    echo "cupsd-rig: $*; skipping" >&2
    exit 77
}

check_tools () {
    PATH=$PATH:/usr/sbin:/sbin
    export PATH
    for tool in cupsd lpadmin lpstat; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
    done
    [ -r "$PPD" ] || skip "$PPD not found (cups-filters)"
}

# A random port in 20000..60999; a clash is caught below and retried.
random_port () {
    n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $((20000 + n % 41000))
}

write_config () {
    dir=$1
    port=$2
    cat >"$dir/cupsd.conf" <<EOF
# Written by cupsd-rig.sh: a scheduler for tests, open to local clients.
LogLevel warn
MaxLogSize 0
Listen 127.0.0.1:$port
Listen $dir/cups.sock
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
    # Printcap with no value: do not write /run/cups/printcap.
    cat >"$dir/cups-files.conf" <<EOF
FileDevice Yes
Printcap
ServerRoot $dir
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
DataDir /usr/share/cups
ServerBin $dir/serverbin
EOF
}

# The system's ServerBin plus the test backend. cupsd refuses programs
# that others can write to, hence a copy rather than a link to the source.
make_serverbin () {
    dir=$1
    sb=$dir/serverbin
    mkdir -p "$sb/backend"
    for entry in /usr/lib/cups/*; do
        name=$(basename "$entry")
        [ "$name" = backend ] || [ -e "$sb/$name" ] || ln -s "$entry" "$sb/$name"
    done
    for entry in /usr/lib/cups/backend/*; do
        name=$(basename "$entry")
        [ -e "$sb/backend/$name" ] || ln -s "$entry" "$sb/backend/$name"
    done
    cp "$TEST_BACKEND" "$sb/backend/linli-test"
    chmod 755 "$sb" "$sb/backend" "$sb/backend/linli-test"
}

stop_cupsd () {
    dir=$1
    [ -f "$dir/cupsd.pid" ] || return 0
    pid=$(cat "$dir/cupsd.pid")
    rm -f "$dir/cupsd.pid"
    kill -TERM "$pid" 2>/dev/null || return 0
    i=0
    while kill -0 "$pid" 2>/dev/null; do
        # A zombie counts as stopped: its parent (a subshell of ours) is
        # gone, and init reaps it in its own time.
        state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
        case $state in Z*) break ;; esac
        i=$((i + 1))
        if [ $i -ge 50 ]; then
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}

# Whether process $1 holds the listening socket of 127.0.0.1:$2: when two
# rigs pick the same port, the loser's cupsd keeps running without it.
owns_port () {
    hexport=$(printf '%04X' "$2")
    inode=$(awk -v local="0100007F:$hexport" '$2 == local && $4 == "0A" { print $10 }' \
        /proc/net/tcp)
    [ -n "$inode" ] || return 1
    for fd in "/proc/$1/fd"/*; do
        [ "$(readlink "$fd" 2>/dev/null)" != "socket:[$inode]" ] || return 0
    done
    return 1
}

# Starts cupsd on a free port; prints the port.
start_cupsd () {
    dir=$1
    attempt=0
    while :; do
        attempt=$((attempt + 1))
        [ $attempt -le 5 ] || die "cupsd did not start; see $dir/log/error_log"
        # CUPS_RIG_PORT asks for a port (tried first, then random ones);
        # a restart must keep its port, or clients lose the scheduler.
        if [ -n "${RIG_SAME_PORT:-}" ]; then
            port=$RIG_SAME_PORT
        elif [ $attempt -eq 1 ] && [ -n "${CUPS_RIG_PORT:-}" ]; then
            port=$CUPS_RIG_PORT
        else
            port=$(random_port)
        fi
        write_config "$dir" "$port"
        cupsd -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" \
            </dev/null >"$dir/log/cupsd.out" 2>&1 &
        pid=$!
        echo $pid >"$dir/cupsd.pid"

        # Ready when it holds the port and answers on its own socket.
        i=0
        ready=no
        while [ $i -lt $((START_TIMEOUT * 10)) ] && kill -0 "$pid" 2>/dev/null; do
            if owns_port "$pid" "$port" && lpstat -h "$dir/cups.sock" -r >/dev/null 2>&1; then
                ready=yes
                break
            fi
            if grep -q "Unable to open listen socket" "$dir/log/error_log" 2>/dev/null; then
                break
            fi
            i=$((i + 1))
            sleep 0.1
        done
        if [ $ready = yes ]; then
            echo "$port" >"$dir/port"
            echo "$port"
            return 0
        fi
        stop_cupsd "$dir"
        mv -f "$dir/log/error_log" "$dir/log/error_log.$attempt" 2>/dev/null || true
    done
}

add_queue () {
    dir=$1
    name=$2
    lpadmin -h "$dir/cups.sock" -p "$name" -E -v "file://$dir/$name.pdf" -P "$PPD" 2>/dev/null \
        || die "lpadmin could not add queue $name"
}

cmd_start () {
    [ $# -ge 1 ] || die "usage: cupsd-rig.sh start DIR [--queue NAME]..."
    dir=$1
    shift
    queues=
    while [ $# -gt 0 ]; do
        case $1 in
            --queue) [ $# -ge 2 ] || die "--queue needs a name"; queues="$queues $2"; shift 2 ;;
            *) die "unknown argument $1" ;;
        esac
    done
    [ -n "$queues" ] || queues=linli-test

    check_tools
    mkdir -p "$dir/spool/tmp" "$dir/cache" "$dir/state" "$dir/log"
    dir=$(cd "$dir" && pwd)
    # Filters run as the lp user and must reach the spool through DIR.
    chmod 755 "$dir"
    case $dir in *" "*) die "DIR must not contain spaces: $dir" ;; esac
    [ ${#dir} -lt 96 ] || die "DIR is too long for a socket path: $dir"

    make_serverbin "$dir"
    port=$(start_cupsd "$dir")
    # Do not leave a half-made rig behind if a queue cannot be added.
    trap 'stop_cupsd "$dir"' EXIT
    first=
    for q in $queues; do
        add_queue "$dir" "$q"
        [ -n "$first" ] || first=$q
    done
    lpadmin -h "$dir/cups.sock" -d "$first" 2>/dev/null || die "lpadmin could not set the default"
    trap - EXIT

    echo "CUPS_SERVER=127.0.0.1:$port"
    echo "CUPS_RIG_DIR=$dir"
    echo "CUPS_RIG_QUEUE=$first"
    echo "CUPS_RIG_OUTPUT=$dir/$first.pdf"
    echo "CUPS_RIG_SCRIPT=$RIG_SCRIPT"
}

cmd_stop () {
    [ $# -eq 1 ] || die "usage: cupsd-rig.sh stop DIR"
    stop_cupsd "$1"
}

cmd_restart () {
    [ $# -eq 1 ] || die "usage: cupsd-rig.sh restart DIR"
    dir=$(cd "$1" && pwd)
    [ -f "$dir/port" ] || die "no rig in $dir"
    RIG_SAME_PORT=$(cat "$dir/port")
    check_tools
    stop_cupsd "$dir"
    start_cupsd "$dir" >/dev/null
}

cmd_run () {
    start_args=
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        start_args="$start_args $1"
        shift
    done
    [ $# -ge 2 ] || die "usage: cupsd-rig.sh run [--queue NAME]... -- COMMAND [ARG]..."
    shift

    check_tools
    RIG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/linli-cupsd.XXXXXX")
    status=1
    # Whatever happens to the command (failure, a signal), cupsd goes.
    trap 'stop_cupsd "$RIG_DIR"
          if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then rm -rf "$RIG_DIR";
          else echo "cupsd-rig: kept $RIG_DIR" >&2; fi' EXIT

    # shellcheck disable=SC2086 # start_args is a word list by design
    env=$(cmd_start "$RIG_DIR" $start_args) || { status=$?; exit $status; }
    for assignment in $env; do
        export "${assignment?}"
    done

    # In the background so that a signal reaches the trap at once (a shell
    # runs traps only after a foreground command ends) and is passed on.
    child=
    trap '[ -z "$child" ] || kill -INT "$child" 2>/dev/null; status=130; exit 130' INT
    trap '[ -z "$child" ] || kill -TERM "$child" 2>/dev/null; status=143; exit 143' TERM HUP
    "$@" <&0 &
    child=$!
    set +e
    wait "$child"
    status=$?
    set -e
    exit $status
}

[ $# -ge 1 ] || die "usage: cupsd-rig.sh start|stop|restart|run ..."
command=$1
shift
case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    restart) cmd_restart "$@" ;;
    run) cmd_run "$@" ;;
    *) die "unknown command $command" ;;
esac
