#!/bin/sh
# platform-rig.sh: linli-platform-sim (the county platform simulator) with a
# fresh seeded database on free loopback ports, and the test PKI, for tests
# and the demo. SPDX-License-Identifier: GPL-3.0-or-later
#
#   platform-rig.sh run [--sim-args "ARGS"] [--server-cert NAME] -- COMMAND [ARG]...
#       Makes (or reuses, see below) the test PKI, starts the simulator in a
#       fresh temporary directory, runs COMMAND with the variables below
#       exported, then stops the simulator and removes the directory
#       whatever happens (kept, and named on stderr, when COMMAND fails).
#       Exits with COMMAND's status.
#         LINLI_PLATFORM_URL       https://127.0.0.1:PORT/linli/v1
#         LINLI_PLATFORM_CA        the platform CA the kiosk pins (ca.pem)
#         LINLI_PLATFORM_CERT      the kiosk certificate (kiosk.pem)
#         LINLI_PLATFORM_KEY       its key (kiosk.key)
#         LINLI_PLATFORM_KIOSK_ID  LL-DEMO-0001
#         LINLI_PLATFORM_PKI       directory of every test certificate
#                                  (services/sim/make-test-pki.sh lists them)
#         LINLI_SIM_CONTROL        http://127.0.0.1:CPORT, the control port
#         LINLI_SIM_DB             the simulator's SQLite database
#         LINLI_SIM                the simulator's binary (to start another)
#         LINLI_PLATFORM_RIG       this script; LINLI_PLATFORM_RIG_DIR the
#                                  rig's directory (for kill and restart)
#       ARGS are more options of linli-platform-sim (split on spaces), e.g.
#       "--payment-ttl 5". NAME picks the server certificate: server (the
#       default), server-expired or server-wrong-ca.
#   platform-rig.sh start DIR [--sim-args "ARGS"] [--server-cert NAME]
#       Starts the simulator with its files in DIR and prints the variables
#       above as shell assignments for the caller to eval.
#   platform-rig.sh stop DIR      SIGTERM (then SIGKILL) and wait
#   platform-rig.sh kill DIR      SIGKILL, as in a crash
#   platform-rig.sh restart DIR   start again (after kill or stop) on the same
#                                 database and the same ports
#
# The binary is $LINLI_SIM (meson sets it) or _build/services/sim/
# linli-platform-sim. The PKI is cached in ${LINLI_PKI_CACHE:-$TMPDIR}/
# linli-pki-LL-DEMO-0001 (make-test-pki.sh makes it atomically, so parallel
# tests share it). The simulator's log, with one line per request (request
# id, operation, status; never a body), is DIR/sim.log. Exits 77 (skipped)
# when openssl is missing, unless $CI is set (then it fails).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIM=${LINLI_SIM:-$ROOT/_build/services/sim/linli-platform-sim}
MAKE_PKI=$ROOT/services/sim/make-test-pki.sh
KIOSK_ID=LL-DEMO-0001
START_TIMEOUT=10 # seconds for the simulator to listen

die () {
    echo "platform-rig: $*" >&2
    exit 1
}

skip () {
    # CI installs every tool, so there a missing one is a failure.
    if [ -n "${CI:-}" ]; then
        die "$*"
    fi
    echo "platform-rig: $*; skipping" >&2
    exit 77
}

check_tools () {
    command -v openssl >/dev/null 2>&1 || skip "openssl not found (openssl)"
    [ -x "$SIM" ] || die "$SIM not found; build it (ninja -C _build) or set LINLI_SIM"
}

pki_dir () {
    echo "${LINLI_PKI_CACHE:-${TMPDIR:-/tmp}}/linli-pki-$KIOSK_ID"
}

# Alive and not a zombie.
alive () {
    kill -0 "$1" 2>/dev/null || return 1
    state=$(ps -o stat= -p "$1" 2>/dev/null || true)
    case $state in Z* | "") return 1 ;; esac
    return 0
}

value () {
    sed -n "s/^$1=//p" "$2"
}

# start_sim DIR: the simulator on DIR/sim.sqlite; ports from DIR/ports.wanted.
start_sim () {
    dir=$1
    pki=$(cat "$dir/pki")
    cert=$(cat "$dir/server-cert")
    port=$(value port "$dir/ports.wanted")
    cport=$(value control_port "$dir/ports.wanted")
    rm -f "$dir/ports"
    # shellcheck disable=SC2046 # the extra options are split on purpose
    G_MESSAGES_DEBUG=linli-sim "$SIM" --port "$port" --control-port "$cport" \
        --cert "$pki/$cert.pem" --key "$pki/$cert.key" --client-ca "$pki/kiosk-ca.pem" \
        --db "$dir/sim.sqlite" --seed --port-file "$dir/ports" $(cat "$dir/sim-args") \
        </dev/null >>"$dir/sim.log" 2>&1 9>&- &
    pid=$!
    echo $pid >"$dir/sim.pid"
    i=0
    while [ $i -lt $((START_TIMEOUT * 20)) ]; do
        alive "$pid" || die "linli-platform-sim exited at start; see $dir/sim.log"
        if [ -s "$dir/ports" ]; then
            # Later starts (restart) use the same ports.
            cp "$dir/ports" "$dir/ports.wanted"
            return 0
        fi
        i=$((i + 1))
        sleep 0.05
    done
    stop_sim "$dir"
    die "linli-platform-sim did not listen within $START_TIMEOUT s; see $dir/sim.log"
}

stop_sim () {
    dir=$1
    [ -f "$dir/sim.pid" ] || return 0
    pid=$(cat "$dir/sim.pid")
    rm -f "$dir/sim.pid"
    kill -TERM "$pid" 2>/dev/null || return 0
    i=0
    while alive "$pid"; do
        i=$((i + 1))
        case $i in
            100) kill -KILL "$pid" 2>/dev/null || true ;;
            200) die "linli-platform-sim $pid does not stop" ;;
        esac
        sleep 0.05
    done
    wait "$pid" 2>/dev/null || true
}

kill_sim () {
    dir=$1
    [ -f "$dir/sim.pid" ] || die "no simulator started in $dir"
    pid=$(cat "$dir/sim.pid")
    rm -f "$dir/sim.pid"
    kill -KILL "$pid" 2>/dev/null || true
    i=0
    while alive "$pid"; do
        i=$((i + 1))
        [ $i -lt 100 ] || die "linli-platform-sim $pid survives SIGKILL"
        sleep 0.05
    done
}

# prepare DIR [--sim-args ARGS] [--server-cert NAME]: the PKI and the
# options, written into DIR for start and restart.
prepare () {
    dir=$1
    shift
    args=
    cert=server
    while [ $# -gt 0 ]; do
        case $1 in
            --sim-args) [ $# -ge 2 ] || die "--sim-args needs a value"; args=$2; shift 2 ;;
            --server-cert)
                [ $# -ge 2 ] || die "--server-cert needs a value"
                case $2 in
                    server | server-expired | server-wrong-ca) cert=$2 ;;
                    *) die "--server-cert: server, server-expired or server-wrong-ca" ;;
                esac
                shift 2
                ;;
            *) die "unknown option $1" ;;
        esac
    done
    pki=$(pki_dir)
    "$MAKE_PKI" "$pki" "$KIOSK_ID" || die "cannot make the test PKI in $pki"
    echo "$pki" >"$dir/pki"
    echo "$cert" >"$dir/server-cert"
    echo "$args" >"$dir/sim-args"
    printf 'port=0\ncontrol_port=0\n' >"$dir/ports.wanted"
}

print_env () {
    dir=$1
    pki=$(cat "$dir/pki")
    echo "LINLI_PLATFORM_URL=https://127.0.0.1:$(value port "$dir/ports")/linli/v1"
    echo "LINLI_PLATFORM_CA=$pki/ca.pem"
    echo "LINLI_PLATFORM_CERT=$pki/kiosk.pem"
    echo "LINLI_PLATFORM_KEY=$pki/kiosk.key"
    echo "LINLI_PLATFORM_KIOSK_ID=$KIOSK_ID"
    echo "LINLI_PLATFORM_PKI=$pki"
    echo "LINLI_SIM_CONTROL=http://127.0.0.1:$(value control_port "$dir/ports")"
    echo "LINLI_SIM_DB=$dir/sim.sqlite"
    echo "LINLI_SIM=$SIM"
    echo "LINLI_PLATFORM_RIG=$HERE/platform-rig.sh"
    echo "LINLI_PLATFORM_RIG_DIR=$dir"
}

cmd_start () {
    [ $# -ge 1 ] || die "usage: platform-rig.sh start DIR [--sim-args ARGS] [--server-cert NAME]"
    check_tools
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    shift
    prepare "$dir" "$@"
    start_sim "$dir"
    print_env "$dir"
}

cmd_run () {
    check_tools
    RIG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/linli-platform.XXXXXX")
    status=1
    # Whatever happens to the command (failure, a signal), the simulator goes.
    trap 'stop_sim "$RIG_DIR"
          if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then rm -rf "$RIG_DIR";
          else echo "platform-rig: kept $RIG_DIR (sim.log, sim.sqlite)" >&2; fi' EXIT

    options=
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        case $1 in
            --sim-args | --server-cert)
                [ $# -ge 2 ] || die "$1 needs a value"
                # Kept quoted for prepare: ARGS has spaces.
                options="$options $1 '$2'"
                shift 2
                ;;
            *) die "usage: platform-rig.sh run [--sim-args ARGS] [--server-cert NAME] -- COMMAND [ARG]..." ;;
        esac
    done
    [ $# -ge 2 ] || die "usage: platform-rig.sh run [--sim-args ARGS] [--server-cert NAME] -- COMMAND [ARG]..."
    shift
    eval "prepare \"\$RIG_DIR\" $options"
    start_sim "$RIG_DIR"
    eval "$(print_env "$RIG_DIR" | sed 's/^\([A-Z_]*\)=\(.*\)$/\1='"'"'\2'"'"'; export \1/')"

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

[ $# -ge 1 ] || die "usage: platform-rig.sh run|start|stop|kill|restart ..."
command=$1
shift
case $command in
    run) cmd_run "$@" ;;
    start) cmd_start "$@" ;;
    stop) [ $# -eq 1 ] || die "usage: platform-rig.sh stop DIR"; stop_sim "$1" ;;
    kill) [ $# -eq 1 ] || die "usage: platform-rig.sh kill DIR"; kill_sim "$1" ;;
    restart)
        [ $# -eq 1 ] || die "usage: platform-rig.sh restart DIR"
        [ ! -f "$1/sim.pid" ] || kill_sim "$1"
        start_sim "$1"
        ;;
    *) die "unknown command $command" ;;
esac
