#!/bin/sh
# pulse-rig.sh: a private PulseAudio server for tests, with a null sink
# "kiosk" as the loudspeaker, so that speech can be recorded and measured
# on a machine without a sound card and without touching the user's own
# audio server.
#
#   pulse-rig.sh start DIR
#       Starts pulseaudio with its socket, runtime and home in DIR (created
#       if needed). Prints shell assignments for the caller to eval:
#         PULSE_SERVER=unix:DIR/native    PULSE_COOKIE=DIR/cookie
#         PULSE_RIG_DIR=DIR               PULSE_RIG_SINK=kiosk
#         LINLI_TEST_PULSE_MONITOR=kiosk.monitor
#   pulse-rig.sh stop DIR
#       Stops the server started in DIR (its log, DIR/pulse.log, stays).
#   pulse-rig.sh run [--fallback] -- COMMAND [ARG]...
#       start in a fresh temporary directory, run COMMAND with those
#       variables exported, then stop the server and remove the directory
#       whatever happens (kept, and named on stderr, when COMMAND fails).
#       Exits with COMMAND's status. --fallback: when PulseAudio is not
#       installed, run COMMAND without it (PULSE_SERVER unset) instead of
#       skipping; benchmarks use it to fall back to a clocked fake sink.
#
# Record what the kiosk says with
#   parec --latency-msec=20 -d "$LINLI_TEST_PULSE_MONITOR" --file-format=wav out.wav
# Tests load more sinks with pactl (a headphone jack, say):
#   pactl load-module module-null-sink sink_name=hp \
#     'sink_properties="device.description=Headphones device.form_factor=headphone"'
#
# Exits 77 (the "skipped" status of meson and automake) when pulseaudio,
# pactl, parec or pacat are missing, unless CI is set: there a missing tool fails.
#
# Traps (see docs/voice.md):
# - As root, pulseaudio only warns ("not intended to be run as root") and
#   works; --system is not needed and would use fixed system paths. But it
#   writes its cookie under $HOME and its runtime files under
#   $XDG_RUNTIME_DIR or /root/.config: both are pointed into DIR, so runs
#   never share or leave state. --realtime=no --high-priority=no keep it
#   from asking rtkit over D-Bus; DBUS_SESSION_BUS_ADDRESS is cleared so it
#   does not claim the desktop's org.pulseaudio.Server name.
# - Clients find the server only through PULSE_SERVER (no autospawn: a
#   root client never autospawns, a user one would start a second server).
#   PULSE_COOKIE keeps libpulse from creating ~/.config/pulse/cookie, and
#   auth-anonymous=1 lets a client of another user (the kiosk under cage)
#   in; DIR is 0755 for the same reason.
# - A null sink nobody records from runs in 2 s blocks: every new stream
#   stalls for about 1.5 s after its first 100 ms. The rig keeps a
#   low-latency reader (parec --latency-msec=20) on kiosk.monitor so the
#   sink runs in real time like a sound card, and plays 50 ms of silence at
#   start, because the very first stream stalls even so. A sink a test
#   loads itself behaves the same: record from its monitor the same way.
# - Loading a second sink may make it the default (a headphone sink wins
#   on priority): kiosk is set as the configured default, which sticks.
set -eu

SINK=kiosk
START_TIMEOUT=10 # seconds for the server to answer

die () {
    echo "pulse-rig: $*" >&2
    exit 1
}

skip () {
    # CI installs every tool, so there a missing one is a failure.
    if [ -n "${CI:-}" ]; then
        die "$*"
    fi
    echo "pulse-rig: $*; skipping" >&2
    exit 77
}

missing_tool () {
    for tool in pulseaudio pactl parec pacat; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "$tool"
            return 0
        fi
    done
    return 1
}

check_tools () {
    if tool=$(missing_tool); then
        skip "$tool not found (pulseaudio, pulseaudio-utils)"
    fi
}

# Stops the process whose pid is in file $1: TERM, then KILL after 5 s.
stop_pidfile () {
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    rm -f "$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    i=0
    while kill -0 "$pid" 2>/dev/null; do
        # A zombie counts as stopped: its parent is gone and init reaps it.
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

stop_pulse () {
    stop_pidfile "$1/keepalive.pid"
    stop_pidfile "$1/pulse.pid"
}

cmd_start () {
    [ $# -eq 1 ] || die "usage: pulse-rig.sh start DIR"
    check_tools
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    case $dir in *" "*) die "DIR must not contain spaces: $dir" ;; esac
    [ ${#dir} -lt 96 ] || die "DIR is too long for a socket path: $dir"
    # Other users (the kiosk under cage) must reach the socket.
    chmod 755 "$dir"
    mkdir -p "$dir/home" "$dir/runtime"
    chmod 700 "$dir/home" "$dir/runtime"
    socket=$dir/native

    # Everything the server writes goes into DIR.
    (
        unset DBUS_SESSION_BUS_ADDRESS PULSE_SERVER PULSE_COOKIE DISPLAY WAYLAND_DISPLAY
        HOME=$dir/home XDG_RUNTIME_DIR=$dir/runtime PULSE_RUNTIME_PATH=$dir/runtime/pulse \
            XDG_CONFIG_HOME=$dir/home/.config PULSE_STATE_PATH=$dir/home/state \
            exec pulseaudio -n --daemonize=no --exit-idle-time=-1 --disable-shm=true \
            --realtime=no --high-priority=no --use-pid-file=no --log-target=stderr \
            -L "module-null-sink sink_name=$SINK sink_properties=device.description=Kiosk-speaker" \
            -L "module-native-protocol-unix socket=$socket auth-anonymous=1" \
            </dev/null >"$dir/pulse.log" 2>&1
    ) &
    echo $! >"$dir/pulse.pid"
    # Do not leave a half-made rig behind.
    trap 'stop_pulse "$dir"' EXIT

    server=unix:$socket
    i=0
    until PULSE_SERVER=$server PULSE_COOKIE=$dir/cookie pactl info >/dev/null 2>&1; do
        if ! kill -0 "$(cat "$dir/pulse.pid")" 2>/dev/null; then
            cat "$dir/pulse.log" >&2
            die "pulseaudio exited; see $dir/pulse.log"
        fi
        i=$((i + 1))
        [ $i -lt $((START_TIMEOUT * 10)) ] || die "pulseaudio did not answer in $START_TIMEOUT s"
        sleep 0.1
    done
    PULSE_SERVER=$server PULSE_COOKIE=$dir/cookie pactl set-default-sink "$SINK" \
        || die "pactl could not set the default sink"
    PULSE_SERVER=$server PULSE_COOKIE=$dir/cookie \
        parec --latency-msec=20 -d "$SINK.monitor" </dev/null >/dev/null 2>"$dir/keepalive.log" &
    echo $! >"$dir/keepalive.pid"
    # The first stream after start-up still stalls (about 1.7 s, whatever
    # reads the monitor): take it here, with 50 ms of silence.
    head -c 8820 /dev/zero | PULSE_SERVER=$server PULSE_COOKIE=$dir/cookie \
        pacat --latency-msec=20 -d "$SINK" --raw 2>>"$dir/keepalive.log" \
        || die "pacat could not play to $SINK"
    trap - EXIT

    echo "PULSE_SERVER=$server"
    echo "PULSE_COOKIE=$dir/cookie"
    echo "PULSE_RIG_DIR=$dir"
    echo "PULSE_RIG_SINK=$SINK"
    echo "LINLI_TEST_PULSE_MONITOR=$SINK.monitor"
}

cmd_stop () {
    [ $# -eq 1 ] || die "usage: pulse-rig.sh stop DIR"
    stop_pulse "$1"
}

# Runs "$@" in the background so that a signal reaches our trap at once (a
# shell runs traps only after a foreground command ends) and is passed on.
run_child () {
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

cmd_run () {
    fallback=no
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        case $1 in
            --fallback) fallback=yes ;;
            *) die "unknown argument $1" ;;
        esac
        shift
    done
    [ $# -ge 2 ] || die "usage: pulse-rig.sh run [--fallback] -- COMMAND [ARG]..."
    shift

    if tool=$(missing_tool); then
        if [ $fallback = yes ] && [ -z "${CI:-}" ]; then
            echo "pulse-rig: $tool not found; running without PulseAudio" >&2
            unset PULSE_SERVER
            status=1
            run_child "$@"
        fi
        skip "$tool not found (pulseaudio, pulseaudio-utils)"
    fi

    RIG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/linli-pulse.XXXXXX")
    status=1
    # Whatever happens to the command (failure, a signal), the server goes.
    trap 'stop_pulse "$RIG_DIR"
          if [ "$status" -eq 0 ] || [ "$status" -eq 77 ]; then rm -rf "$RIG_DIR";
          else echo "pulse-rig: kept $RIG_DIR" >&2; fi' EXIT

    env=$(cmd_start "$RIG_DIR") || { status=$?; exit $status; }
    for assignment in $env; do
        export "${assignment?}"
    done
    run_child "$@"
}

[ $# -ge 1 ] || die "usage: pulse-rig.sh start|stop|run ..."
command=$1
shift
case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    run) cmd_run "$@" ;;
    *) die "unknown command $command" ;;
esac
