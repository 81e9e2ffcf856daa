#!/bin/sh
# pcscd-rig.sh: the system's pcscd with a private vsmartcard vpcd reader, for
# tests. Virtual cards (tests/rigs/vsscard.py) connect to the reader's TCP
# port; a connected card is an inserted card.
#
#   pcscd-rig.sh start DIR
#       Writes DIR/reader.conf.d/vpcd (reader "Linli Virtual PCD", CHANNELID
#       = the port, default 40000 or $PCSC_RIG_PORT) and starts
#       `pcscd -f -a -c DIR/reader.conf.d` in the background, logging to
#       DIR/pcscd.log. Prints shell assignments for the caller to eval:
#         PCSC_RIG_DIR=DIR  PCSC_RIG_PORT=40000
#         PCSC_RIG_READER="Linli Virtual PCD 00 00" (slot 2: PORT+1, "... 00 01")
#   pcscd-rig.sh stop DIR
#       Stops that pcscd (SIGTERM, again, then SIGKILL) and removes what it
#       left in /run/pcscd.
#   pcscd-rig.sh kill DIR      pcscd dies (SIGKILL), as in a crash
#   pcscd-rig.sh restart DIR   kill (unless killed), start again with the same readers
#   pcscd-rig.sh run -- COMMAND [ARG]...
#       start in a fresh temporary directory, run COMMAND with PCSC_RIG_DIR,
#       PCSC_RIG_PORT, PCSC_RIG_READER, PCSC_RIG (this script) and VSSCARD
#       (the virtual card) exported, then stop pcscd and remove the
#       directory whatever happens (kept, and named on stderr, when COMMAND
#       fails). Exits with COMMAND's status.
#
# pcscd always serves /run/pcscd/pcscd.comm (it ignores PCSCLITE_CSOCK_NAME),
# so two rigs cannot run at once: `run` holds an flock on
# /tmp/linli-pcscd-rig.lock and parallel tests wait for each other. pcscd
# needs root. Exits 77 (skipped) when not root or when pcscd, the vpcd
# driver, python3 or flock are missing, unless $CI is set (then it fails).
set -eu

VPCD_DRIVER=${PCSC_RIG_VPCD:-/usr/lib/pcsc/drivers/serial/libifdvpcd.so}
LOCK_FILE=/tmp/linli-pcscd-rig.lock
LOCK_TIMEOUT=600 # seconds to wait for another test's rig
START_TIMEOUT=10 # seconds for pcscd to serve its socket and vpcd its port
RUN_DIR=/run/pcscd
HERE=$(cd "$(dirname "$0")" && pwd)

die () {
    echo "pcscd-rig: $*" >&2
    exit 1
}

skip () {
    # CI installs every tool, so there a missing one is a failure.
    if [ -n "${CI:-}" ]; then
        die "$*"
    fi
    echo "pcscd-rig: $*; skipping" >&2
    exit 77
}

check_tools () {
    PATH=$PATH:/usr/sbin:/sbin
    export PATH
    [ "$(id -u)" -eq 0 ] || skip "pcscd needs root (it serves $RUN_DIR)"
    command -v pcscd >/dev/null 2>&1 || skip "pcscd not found (pcscd)"
    command -v flock >/dev/null 2>&1 || skip "flock not found (util-linux)"
    [ -x /usr/bin/python3 ] || skip "/usr/bin/python3 not found"
    [ -r "$VPCD_DRIVER" ] || skip "$VPCD_DRIVER not found (vsmartcard-vpcd)"
}

# Alive and not a zombie (a killed pcscd whose parent has gone waits for
# init to reap it, and still answers kill -0).
alive () {
    kill -0 "$1" 2>/dev/null || return 1
    state=$(ps -o stat= -p "$1" 2>/dev/null || true)
    case $state in Z* | "") return 1 ;; esac
    return 0
}

# Whether something listens on 0.0.0.0:$1 or 127.0.0.1:$1 (vpcd's port).
listening () {
    hexport=$(printf '%04X' "$1")
    awk -v p=":$hexport" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 }
        END { exit !found }' /proc/net/tcp
}

# A pcscd that holds /run/pcscd and is not ours refuses to share it; one
# left by a crashed rig (its -c points into a linli-pcscd. directory) goes.
check_foreign_pcscd () {
    [ -f "$RUN_DIR/pcscd.pid" ] || return 0
    other=$(tr -d '\0 \n' <"$RUN_DIR/pcscd.pid" 2>/dev/null || true)
    [ -n "$other" ] && alive "$other" || return 0
    if tr '\0' ' ' <"/proc/$other/cmdline" 2>/dev/null | grep -q 'linli-pcscd\.'; then
        echo "pcscd-rig: stopping pcscd $other left by an earlier rig" >&2
        stop_pid "$other"
        return 0
    fi
    skip "another pcscd (pid $other) already serves $RUN_DIR; stop it to run the rig"
}

# SIGTERM, a second SIGTERM (pcscd sometimes ignores the first while a
# reader thread is busy), then SIGKILL.
stop_pid () {
    pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    i=0
    while alive "$pid"; do
        i=$((i + 1))
        case $i in
            20) kill -TERM "$pid" 2>/dev/null || true ;;
            50) kill -KILL "$pid" 2>/dev/null || true ;;
            80) die "pcscd $pid does not stop" ;;
        esac
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || true
}

# What a killed pcscd leaves makes the next one refuse to start.
clean_run_dir () {
    pid=$1
    if [ -f "$RUN_DIR/pcscd.pid" ]; then
        owner=$(tr -d '\0 \n' <"$RUN_DIR/pcscd.pid" 2>/dev/null || true)
        if [ "$owner" = "$pid" ] || ! alive "${owner:-0}"; then
            rm -f "$RUN_DIR/pcscd.pid" "$RUN_DIR/pcscd.comm"
        fi
    fi
}

write_config () {
    dir=$1
    port=$2
    mkdir -p "$dir/reader.conf.d"
    channel=$(printf '0x%04X' "$port")
    cat >"$dir/reader.conf.d/vpcd" <<EOF
# Written by pcscd-rig.sh: vpcd slots listen on TCP $port and $((port + 1)).
FRIENDLYNAME "Linli Virtual PCD"
DEVICENAME   /dev/null:$channel
LIBPATH      $VPCD_DRIVER
CHANNELID    $channel
EOF
}

start_pcscd () {
    dir=$1
    port=$(cat "$dir/port")
    check_foreign_pcscd
    if listening "$port"; then
        die "TCP port $port is taken; set PCSC_RIG_PORT to another"
    fi
    # The lock's descriptor stays with the rig, not with pcscd.
    pcscd -f -a -c "$dir/reader.conf.d" </dev/null >>"$dir/pcscd.log" 2>&1 9>&- &
    pid=$!
    echo $pid >"$dir/pcscd.pid"
    i=0
    while [ $i -lt $((START_TIMEOUT * 10)) ]; do
        alive "$pid" || die "pcscd exited at start; see $dir/pcscd.log"
        if [ -S "$RUN_DIR/pcscd.comm" ] && listening "$port" && listening $((port + 1)); then
            return 0
        fi
        i=$((i + 1))
        sleep 0.1
    done
    stop_pid "$pid"
    die "pcscd did not serve vpcd within $START_TIMEOUT s; see $dir/pcscd.log"
}

stop_pcscd () {
    dir=$1
    [ -f "$dir/pcscd.pid" ] || return 0
    pid=$(cat "$dir/pcscd.pid")
    rm -f "$dir/pcscd.pid"
    stop_pid "$pid"
    clean_run_dir "$pid"
}

kill_pcscd () {
    dir=$1
    [ -f "$dir/pcscd.pid" ] || die "no pcscd started in $dir"
    pid=$(cat "$dir/pcscd.pid")
    rm -f "$dir/pcscd.pid"
    kill -KILL "$pid" 2>/dev/null || true
    i=0
    while alive "$pid"; do
        i=$((i + 1))
        [ $i -lt 50 ] || die "pcscd $pid survives SIGKILL"
        sleep 0.1
    done
    clean_run_dir "$pid"
}

print_env () {
    dir=$1
    port=$(cat "$dir/port")
    echo "PCSC_RIG_DIR=$dir"
    echo "PCSC_RIG_PORT=$port"
    echo "PCSC_RIG_READER='Linli Virtual PCD 00 00'"
}

cmd_start () {
    [ $# -eq 1 ] || die "usage: pcscd-rig.sh start DIR"
    check_tools
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    echo "${PCSC_RIG_PORT:-40000}" >"$dir/port"
    write_config "$dir" "$(cat "$dir/port")"
    start_pcscd "$dir"
    print_env "$dir"
}

cmd_run () {
    [ $# -ge 2 ] && [ "$1" = "--" ] || die "usage: pcscd-rig.sh run -- COMMAND [ARG]..."
    shift
    check_tools

    exec 9>>"$LOCK_FILE"
    flock -w "$LOCK_TIMEOUT" 9 || die "another pcscd rig held $LOCK_FILE for $LOCK_TIMEOUT s"

    RIG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/linli-pcscd.XXXXXX")
    status=1
    # Whatever happens to the command (failure, a signal), pcscd goes.
    trap 'stop_pcscd "$RIG_DIR"
          if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then rm -rf "$RIG_DIR";
          else echo "pcscd-rig: kept $RIG_DIR (pcscd.log)" >&2; fi' EXIT

    echo "${PCSC_RIG_PORT:-40000}" >"$RIG_DIR/port"
    write_config "$RIG_DIR" "$(cat "$RIG_DIR/port")"
    start_pcscd "$RIG_DIR"
    PCSC_RIG_DIR=$RIG_DIR
    PCSC_RIG_PORT=$(cat "$RIG_DIR/port")
    PCSC_RIG_READER="Linli Virtual PCD 00 00"
    PCSC_RIG="$HERE/pcscd-rig.sh"
    VSSCARD="$HERE/vsscard.py"
    export PCSC_RIG_DIR PCSC_RIG_PORT PCSC_RIG_READER PCSC_RIG VSSCARD

    # In the background so that a signal reaches the trap at once (a shell
    # runs traps only after a foreground command ends) and is passed on.
    child=
    trap '[ -z "$child" ] || kill -INT "$child" 2>/dev/null; status=130; exit 130' INT
    trap '[ -z "$child" ] || kill -TERM "$child" 2>/dev/null; status=143; exit 143' TERM HUP
    "$@" <&0 9>&- &
    child=$!
    set +e
    wait "$child"
    status=$?
    set -e
    exit $status
}

[ $# -ge 1 ] || die "usage: pcscd-rig.sh start|stop|kill|restart|run ..."
command=$1
shift
case $command in
    start) cmd_start "$@" ;;
    stop) [ $# -eq 1 ] || die "usage: pcscd-rig.sh stop DIR"; stop_pcscd "$1" ;;
    kill) [ $# -eq 1 ] || die "usage: pcscd-rig.sh kill DIR"; kill_pcscd "$1" ;;
    restart)
        [ $# -eq 1 ] || die "usage: pcscd-rig.sh restart DIR"
        # After "kill" only the start is left to do.
        [ ! -f "$1/pcscd.pid" ] || kill_pcscd "$1"
        start_pcscd "$1"
        ;;
    run) cmd_run "$@" ;;
    *) die "unknown command $command" ;;
esac
