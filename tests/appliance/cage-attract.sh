#!/bin/sh
# Appliance test: the real linli-kiosk under cage, the production Wayland
# kiosk compositor, on wlroots' headless backend. It waits for the kiosk's
# first frame, takes a screenshot with grim and checks that the attract
# screen is really on the output: not blank, 1280x720 (cage's headless
# output size) and full screen (kiosk background in the top corners, where a
# title bar would be if the window were not full screen).
#
# Usage: cage-attract.sh KIOSK_BINARY CONFIG OUTPUT_PNG
# (meson runs it as suite "appliance"; LINLI_LOCALEDIR, LANG and G_DEBUG come
# from the test environment and are passed on to the kiosk).
#
# Exit status: 0 pass, 1 fail, 77 skip (cage, grim, Xwayland or another rig
# tool missing; a failure instead when CI is set, since CI installs them).
#
# Traps handled here (see /work/shared/RIGS.md, "Screens"):
# - cage refuses to run as root: as root we run it as the system user
#   linli-test (created when missing), otherwise as the current user;
# - it needs its own XDG_RUNTIME_DIR (mode 0700, owned by that user);
# - it exits at once when Xwayland is not installed;
# - without "-r -r" the headless output freezes on the first frame.
set -eu

kiosk=$1
config=$2
out_png=$3
# LINLI_CAGE_USER: another existing user, e.g. the package's linli
# (package-install.sh).
test_user=${LINLI_CAGE_USER:-linli-test}
# Every wait below is bounded by this many seconds.
bound=${LINLI_APPLIANCE_TIMEOUT:-20}

log() { printf '%s\n' "cage-attract: $*" >&2; }

# Missing rig tools skip the test on a developer machine but fail it in CI.
skip_or_fail() {
    if [ -n "${CI:-}" ]; then
        log "FAIL: $* (CI is set, so the rig must be complete)"
        exit 1
    fi
    log "SKIP: $*"
    exit 77
}

for tool in cage grim Xwayland dbus-run-session convert identify; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool is not installed"
done
# /usr/local/bin/convert may be a stand-in that only converts to PPM; the
# checks below need the real ImageMagick.
convert -version 2>/dev/null | grep -q ImageMagick ||
    skip_or_fail "convert is not ImageMagick's"

if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null 2>&1 || skip_or_fail "setpriv is not installed"
    if ! id "$test_user" >/dev/null 2>&1; then
        # A system user with no home and no login shell: it only runs cage.
        useradd --system --no-create-home --shell /usr/sbin/nologin "$test_user"
    fi
    # setpriv switches user without PAM and without an extra process, so the
    # process tree stays cage's own and nothing is logged to the system.
    as_user() {
        setpriv --reuid="$test_user" --regid="$test_user" --init-groups -- "$@"
    }
    owner=$test_user
else
    as_user() { "$@"; }
    owner=$(id -un)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-cage.XXXXXX")
# The test user must traverse the work directory; its XDG_RUNTIME_DIR and
# scratch directory inside are private to it.
chmod 0755 "$work"
mkdir -m 0700 "$work/run" "$work/user"
[ "$owner" = "$(id -un)" ] || chown "$owner:" "$work/run" "$work/user"

launcher_pid=
kiosk_pid=

# True while process $1 runs (a zombie, exited but not yet reaped, does not
# count: kill -0 would still succeed on it).
alive() {
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [ "${state#Z}" = "$state" ]
}

# The live processes (not zombies) of the session started below.
# shellcheck disable=SC2317 # (reached through the EXIT trap)
session_processes() {
    ps -e -o pid= -o sid= -o stat= |
        awk -v s="$launcher_pid" '$2 == s && $3 !~ /^Z/ { print $1 }'
}

# Ends everything this test started, pass or fail: first the kiosk with
# SIGTERM (it quits cleanly, so cage and then dbus-run-session follow), then
# whatever is left of the session we created with setsid (at-spi daemons,
# Xwayland), by its process ids.
# shellcheck disable=SC2317 # (reached through the EXIT trap)
cleanup() {
    status=$?
    trap - EXIT INT TERM HUP
    if [ -n "$launcher_pid" ]; then
        if [ -n "$kiosk_pid" ]; then
            kill -TERM "$kiosk_pid" 2>/dev/null || true
        fi
        i=0
        while alive "$launcher_pid" && [ "$i" -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        # What is left: every live process of the session setsid created
        # (dbus, at-spi and Xwayland stay in it). The at-spi daemons leave by
        # themselves once their bus is gone; give them 3 s, then kill them.
        i=0
        while left=$(session_processes) && [ -n "$left" ] && [ "$i" -lt 30 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        if [ -n "$left" ]; then
            # $left is a list of pids: split on purpose.
            # shellcheck disable=SC2086
            log "still running after the kiosk quit, killing:" $left
            # shellcheck disable=SC2086
            kill -TERM $left 2>/dev/null || true
            sleep 1
            left=$(session_processes)
            # shellcheck disable=SC2086
            [ -z "$left" ] || kill -KILL $left 2>/dev/null || true
        fi
        wait "$launcher_pid" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
        for f in "$work/kiosk.out" "$work/cage.err"; do
            [ -s "$f" ] || continue
            log "---- last lines of $(basename "$f") ----"
            tail -n 30 "$f" >&2
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The build tree may be unreadable to the test user (e.g. a root-owned
# directory with mode 0700): then run a copy of what the kiosk needs (the
# binary, its configuration and the .mo files) from the work directory.
localedir=${LINLI_LOCALEDIR:-}
user_can_read() {
    as_user test -x "$kiosk" && as_user test -r "$config" &&
        { [ -z "$localedir" ] || as_user test -r "$localedir/zh_CN/LC_MESSAGES/linli.mo"; }
}
if ! user_can_read; then
    log "build tree not readable by $owner: running a copy from $work/app"
    mkdir "$work/app"
    cp "$kiosk" "$work/app/linli-kiosk"
    cp "$config" "$work/app/kiosk.conf"
    kiosk=$work/app/linli-kiosk
    config=$work/app/kiosk.conf
    if [ -n "$localedir" ]; then
        cp -R "$localedir" "$work/app/po"
        localedir=$work/app/po
    fi
    chmod -R a+rX "$work/app"
fi

# cage, the kiosk and D-Bus run in a clean environment (nothing of the
# caller's desktop, e.g. WAYLAND_DISPLAY or DISPLAY, leaks in) and in a new
# session (setsid) so that cleanup can find every process of the run.
# dbus-run-session gives the kiosk a private session bus, or GTK would start
# D-Bus and AT-SPI daemons that outlive the test. The kiosk writes its pid
# first so that it can be stopped with SIGTERM, as systemd stops it.
# GDK_BACKEND=wayland: under cage the kiosk must use Wayland, as in
# production, not cage's Xwayland. The pixman renderer keeps wlroots off GL.
set -- \
    PATH="/usr/local/bin:/usr/bin:/bin" \
    HOME="$work/user" \
    XDG_RUNTIME_DIR="$work/run" \
    XDG_CONFIG_HOME="$work/user/config" \
    XDG_CACHE_HOME="$work/user/cache" \
    XDG_DATA_HOME="$work/user/data" \
    LANG="${LANG:-C.UTF-8}" \
    WLR_BACKENDS=headless \
    WLR_LIBINPUT_NO_DEVICES=1 \
    WLR_RENDERER="${WLR_RENDERER:-pixman}"
[ -z "$localedir" ] || set -- "$@" LINLI_LOCALEDIR="$localedir"
[ -z "${G_DEBUG:-}" ] || set -- "$@" G_DEBUG="$G_DEBUG"
[ -z "${GSK_RENDERER:-}" ] || set -- "$@" GSK_RENDERER="$GSK_RENDERER"
if [ "$(id -u)" -eq 0 ]; then
    set -- "$@" setpriv --reuid="$test_user" --regid="$test_user" --init-groups --
fi
# shellcheck disable=SC2016 # expanded by the inner shell
set -- "$@" dbus-run-session -- cage -r -r -- \
    sh -c 'cd "$HOME" && echo $$ > "$HOME/kiosk.pid" && GDK_BACKEND=wayland exec "$@"' kiosk \
    "$kiosk" --report-first-frame --config "$config"
start_us=$(date +%s%6N)
setsid env -i "$@" >"$work/kiosk.out" 2>"$work/cage.err" </dev/null &
launcher_pid=$!

# Waits up to $bound seconds for a condition; fails at once if the run died.
wait_for() {
    what=$1
    shift
    i=0
    until "$@"; do
        if ! alive "$launcher_pid"; then
            log "FAIL: cage exited while waiting for $what"
            exit 1
        fi
        if [ "$i" -ge $((bound * 10)) ]; then
            log "FAIL: no $what after ${bound} s"
            exit 1
        fi
        sleep 0.1
        i=$((i + 1))
    done
}

wait_for "Wayland socket" test -S "$work/run/wayland-0"
wait_for "kiosk pid" test -s "$work/user/kiosk.pid"
kiosk_pid=$(cat "$work/user/kiosk.pid")
wait_for "first frame from the kiosk" grep -q '^first-frame-realtime-us=' "$work/kiosk.out"
first_us=$(sed -n 's/^first-frame-realtime-us=//p' "$work/kiosk.out" | head -n 1)
log "kiosk (pid $kiosk_pid) drew its first frame" \
    "$(awk -v a="$start_us" -v b="$first_us" 'BEGIN { printf "%.0f", (b - a) / 1000 }') ms" \
    "after cage was started"

# The checks on a screenshot; prints why it fails.
shot=$work/user/cage-attract.png
check_shot() {
    size=$(identify -format '%wx%h' "$shot")
    if [ "$size" != 1280x720 ]; then
        echo "size is $size, not cage's 1280x720"
        return 1
    fi
    # A blank, black or single-colour output has a few colours and almost no
    # spread; the attract screen has text and buttons (~1300 colours, ~0.26).
    colours=$(identify -format '%k' "$shot")
    stddev=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
    if [ "$colours" -lt 16 ] || ! awk -v s="$stddev" 'BEGIN { exit !(s > 0.05) }'; then
        echo "looks blank: $colours colours, standard deviation $stddev"
        return 1
    fi
    # Full screen: both top corners show the kiosk background #f7f3ea
    # (247,243,234). A window that is not full screen has GTK's title bar
    # there; an upside-down capture (cage -r -r rotates the output) would
    # show the dark accessibility bar.
    for geometry in 64x24+0+0 64x24+1216+0; do
        rgb=$(convert "$shot" -crop "$geometry" +repage -scale '1x1!' -depth 8 \
            -format '%[fx:int(255*r+0.5)] %[fx:int(255*g+0.5)] %[fx:int(255*b+0.5)]' info:)
        if ! echo "$rgb" | awk '{ d1 = $1 - 247; d2 = $2 - 243; d3 = $3 - 234
                                  exit !(d1*d1 <= 16 && d2*d2 <= 16 && d3*d3 <= 16) }'; then
            echo "region $geometry is rgb($rgb), not the kiosk background #f7f3ea (title bar?)"
            return 1
        fi
    done
    echo "1280x720, $colours colours, standard deviation $stddev, background in both top corners"
}

# GTK's first after-paint can come before cage has put that frame on the
# output, so screenshots are retried (bounded) until one passes.
i=0
while :; do
    if as_user env XDG_RUNTIME_DIR="$work/run" WAYLAND_DISPLAY=wayland-0 grim "$shot" 2>"$work/grim.err" &&
        verdict=$(check_shot); then
        break
    fi
    [ -s "$work/grim.err" ] && verdict="grim: $(cat "$work/grim.err")"
    i=$((i + 1))
    if [ "$i" -ge $((bound * 2)) ]; then
        break
    fi
    sleep 0.5
done

# Keep the last screenshot as an artifact either way.
mkdir -p "$(dirname "$out_png")"
if [ -f "$shot" ]; then
    cp "$shot" "$out_png"
    echo "screenshot: $out_png"
fi
if [ "$i" -ge $((bound * 2)) ]; then
    log "FAIL: ${verdict:-no screenshot}"
    exit 1
fi
echo "cage-attract: PASS: $verdict"

# The kiosk must quit on SIGTERM (systemd stops it so); give it 10 s.
kill -TERM "$kiosk_pid"
i=0
while alive "$kiosk_pid"; do
    if [ "$i" -ge 100 ]; then
        log "FAIL: the kiosk did not quit within 10 s of SIGTERM"
        exit 1
    fi
    sleep 0.1
    i=$((i + 1))
done
kiosk_pid=
exit 0
