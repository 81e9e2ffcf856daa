#!/bin/sh
# Start-up benchmark of the kiosk: cold start to first frame, and resident
# memory once the attract screen is up.
#
# Run it with meson (builds first):   meson test --benchmark -v -C BUILD_DIR
# (-v shows the figures; they are also in BUILD_DIR/meson-logs/testlog.txt)
# or directly on a built tree:        tests/bench/startup.sh BUILD_DIR
#
# Environment (all optional): LINLI_BENCH_RUNS (default 5),
# LINLI_BENCH_TIMEOUT (seconds a start may take before the benchmark gives
# up, default 60), LINLI_LOCALEDIR (default BUILD_DIR/po), CI (set: missing
# Xvfb or matchbox is a failure instead of a skip).
#
# Rig (see /work/shared/RIGS.md, "Screens"): one Xvfb 1920x1080 and one
# matchbox-window-manager (without it gtk_window_fullscreen does not fill the
# screen) serve all runs. Each run is a cold start of the kiosk in a fresh
# dbus-run-session, so every run pays the same costs (its own session bus and
# AT-SPI bus, as at boot), and no D-Bus or AT-SPI daemon outlives it.
#
# Per run: the wall clock (µs) is taken just before exec of the kiosk; the
# kiosk, started with --report-first-frame, prints the wall clock of its
# window's first after-paint; the difference is the start-up time. 2 s after
# the first frame VmRSS is read from /proc/PID/status, then the kiosk gets
# SIGTERM. Output: one line per run, then
#   startup-ms: min/median/max A/B/C
#   rss-mb: median D
# Nothing here is a timed assertion: the benchmark fails only when the kiosk
# does not draw a first frame within LINLI_BENCH_TIMEOUT (or the rig breaks).
set -eu

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
kiosk=$build/ui/linli-kiosk
config=$src/tests/data/kiosk-test.conf
runs=${LINLI_BENCH_RUNS:-5}
bound=${LINLI_BENCH_TIMEOUT:-60}

log() { printf '%s\n' "startup: $*" >&2; }

for tool in Xvfb matchbox-window-manager dbus-run-session; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        if [ -n "${CI:-}" ]; then
            log "FAIL: $tool is not installed (CI is set, so the rig must be complete)"
            exit 1
        fi
        log "SKIP: $tool is not installed"
        exit 77
    fi
done
if [ ! -x "$kiosk" ]; then
    log "FAIL: $kiosk not found: build first (ninja -C $build)"
    exit 1
fi

# The kiosk finds its translations here; the test environment of meson sets
# it already, a direct run gets the build tree's.
export LINLI_LOCALEDIR="${LINLI_LOCALEDIR:-$build/po}"
export LANG="${LANG:-C.UTF-8}"
# Force X11 on Xvfb, even when started from a Wayland desktop.
unset WAYLAND_DISPLAY
export GDK_BACKEND=x11

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-bench.XXXXXX")
# A private runtime directory (dconf, at-spi and dbus sockets go there).
mkdir -m 0700 "$work/run"
export XDG_RUNTIME_DIR="$work/run"

xvfb_pid=
wm_pid=
run_pid=
kiosk_pid=

# True while process $1 runs (an exited, not yet reaped child does not count).
alive() {
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [ "${state#Z}" = "$state" ]
}

# Waits up to 10 s for process $1 to end by itself.
await() {
    i=0
    while alive "$1" && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# Sends SIGTERM to $1, waits up to 10 s, then SIGKILL.
stop() {
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null || return 0
    i=0
    while alive "$1" && [ "$i" -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if alive "$1"; then
        log "pid $1 ignored SIGTERM for 10 s: killing it"
        kill -KILL "$1" 2>/dev/null || true
    fi
}

# Everything started here is stopped on any exit: the kiosk, its
# dbus-run-session (which ends its dbus-daemon once the kiosk is gone), the
# window manager, Xvfb.
cleanup() {
    status=$?
    trap - EXIT INT TERM HUP
    stop "$kiosk_pid"
    if [ -n "$run_pid" ]; then
        await "$run_pid"
        stop "$run_pid"
        wait "$run_pid" 2>/dev/null || true
    fi
    stop "$wm_pid"
    stop "$xvfb_pid"
    wait 2>/dev/null || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Xvfb picks a free display number itself (-displayfd) and writes it once it
# accepts connections, so parallel runs never collide and no fixed sleep is
# needed. -nolisten tcp: only local clients.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$work/display" \
    >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
i=0
until [ -s "$work/display" ] && grep -q '^[0-9][0-9]*$' "$work/display"; do
    if ! alive "$xvfb_pid" || [ "$i" -ge 200 ]; then
        log "FAIL: Xvfb did not start"
        cat "$work/xvfb.log" >&2
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done
DISPLAY=":$(cat "$work/display")"
export DISPLAY

matchbox-window-manager -use_titlebar no >"$work/wm.log" 2>&1 &
wm_pid=$!
# Wait until the window manager has taken the screen (it then advertises
# itself on the root window), so that the first run is not measured without
# it; without xprop, a second is plenty.
if command -v xprop >/dev/null 2>&1; then
    i=0
    until xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; do
        if ! alive "$wm_pid" || [ "$i" -ge 100 ]; then
            log "FAIL: matchbox-window-manager did not start"
            cat "$work/wm.log" >&2
            exit 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
else
    sleep 1
fi

echo "startup: $runs cold starts of $kiosk on Xvfb 1920x1080 + matchbox ($(nproc) CPUs)"
n=1
while [ $n -le "$runs" ]; do
    out=$work/run-$n.out
    # The inner shell records its pid (which the kiosk keeps through exec)
    # and the wall clock in µs right before exec.
    # shellcheck disable=SC2016,SC2094 # $$ is the inner shell's; $out.pid is another file
    dbus-run-session -- sh -c \
        'echo $$ > "$1.pid"; date +%s%6N > "$1.t0"; shift; exec "$@"' sh "$out" \
        "$kiosk" --report-first-frame --config "$config" \
        >"$out" 2>"$work/run-$n.err" </dev/null &
    run_pid=$!

    i=0
    until grep -q '^first-frame-realtime-us=' "$out" 2>/dev/null; do
        if ! alive "$run_pid"; then
            log "FAIL: run $n: the kiosk exited before its first frame"
            tail -n 30 "$work/run-$n.err" >&2
            exit 1
        fi
        if [ "$i" -ge $((bound * 10)) ]; then
            log "FAIL: run $n: no first frame within $bound s"
            tail -n 30 "$work/run-$n.err" >&2
            exit 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
    kiosk_pid=$(cat "$out.pid")
    t0=$(cat "$out.t0")
    t1=$(sed -n 's/^first-frame-realtime-us=//p' "$out" | head -n 1)
    # Let the attract screen settle (idle work, fonts, voice) before memory.
    sleep 2
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$kiosk_pid/status")

    stop "$kiosk_pid"
    kiosk_pid=
    # dbus-run-session ends its bus daemon once the kiosk has quit; a
    # SIGTERM to it would leave the daemon behind, so it is only the
    # fallback.
    await "$run_pid"
    stop "$run_pid"
    wait "$run_pid" 2>/dev/null || true
    run_pid=

    ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    echo "run $n: startup-ms=$ms rss-mb=$mb"
    echo "$ms" >>"$work/ms"
    echo "$mb" >>"$work/mb"
    n=$((n + 1))
done

# min/median/max of a file of numbers, one a line.
summary() {
    sort -n "$1" | awk '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.1f %.1f %.1f\n", v[1], m, v[NR] }'
}
# shellcheck disable=SC2046 # three numbers, split on purpose
set -- $(summary "$work/ms")
echo "startup-ms: min/median/max $1/$2/$3"
# shellcheck disable=SC2046
set -- $(summary "$work/mb")
echo "rss-mb: median $2"
