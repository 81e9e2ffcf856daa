#!/bin/bash
# Linli's two set-up commands (see README.md). On a fresh Debian 12 machine,
# as root:
#
#   bash packaging/setup.sh demo   install what is needed, build, start the kiosk
#   bash packaging/setup.sh test   install what is needed, build, run every test
#
# Both are idempotent: packages already installed are not fetched again and
# the build directories are reused.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Everything the build, the kiosk and the test rigs need, in one list.
packages=(
    # build
    build-essential meson ninja-build pkg-config gettext libxml2-utils clang-format
    clang libclang-rt-14-dev
    # libraries (issue 2 declares the whole stack)
    libgtk-4-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-tools
    gstreamer1.0-alsa
    libusb-1.0-0-dev libpcsclite-dev libcups2-dev libsoup-3.0-dev libjson-glib-dev
    libsqlite3-dev libqrencode-dev libespeak-ng-dev espeak-ng libsystemd-dev
    fonts-noto-cjk fonts-dejavu-core
    libleptonica-dev
    # test rigs: screens, accessibility, compositor
    xvfb xauth x11-apps imagemagick matchbox-window-manager xdotool at-spi2-core
    dbus dbus-x11 python3-pyatspi python3-dogtail cage grim xwayland
    # test rigs: devices
    pcscd pcsc-tools vsmartcard-vpcd cups cups-client cups-bsd cups-filters poppler-utils
    printer-driver-cups-pdf umockdev libumockdev-dev sox pulseaudio pulseaudio-utils
    valgrind zbar-tools
    # test rigs: the platform simulator's test PKI (services/sim/make-test-pki.sh)
    openssl
    # the platform client's seed corpus, made from the contract (test-platform-examples.py)
    python3-yaml
    # the appliance: Debian packages built and checked (tests/appliance/package-build.sh)
    debhelper dpkg-dev fakeroot lintian systemd libccid
)

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_packages() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    # The contract test validates with an npm package; a machine that has
    # no Node.js of its own gets Debian's.
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    if [ ${#missing[@]} -eq 0 ]; then
        log "all ${#packages[@]} packages are installed"
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${missing[*]}" >&2
        echo "run this command as root (it installs them with apt-get)" >&2
        exit 1
    fi
    log "installing ${#missing[@]} packages"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        apt-get update -q
        apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

build() { # build DIR [meson options...]
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@"
    fi
    ninja -C "$dir"
}

# Sums meson's own result records (testlog.json) over the given build dirs.
count_results() {
    /usr/bin/python3 - "$@" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path) as log:
        for line in log:
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

run_tests() {
    local status=0
    log "build with -Werror"
    build _build -Dwerror=true -Dbuildtype=debugoptimized
    log "all suites: unit, ui, appliance"
    meson test -C _build --print-errorlogs --num-processes 2 || status=1

    log "unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer"
    build _build_asan -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
        -Db_lundef=false
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C _build_asan --suite unit --print-errorlogs --num-processes 2 || status=1

    log "parsers of outside data under libFuzzer (clang, ASan + UBSan), 20 s each"
    CC=clang build _build_fuzz -Dfuzzing=true -Dbuildtype=debug \
        -Db_sanitize=address,undefined -Db_lundef=false
    meson test -C _build_fuzz --suite fuzz --print-errorlogs --num-processes 2 || status=1

    count_results _build/meson-logs/testlog.json _build_asan/meson-logs/testlog.json \
        _build_fuzz/meson-logs/testlog.json
    return $status
}

# The kiosk of the demo, with its virtual card readers: a GA 467 resident-ID
# reader simulated on a pty and a virtual social-security card for the
# private pcscd (tests/rigs/pcscd-rig.sh runs this function's caller).
# Cards are placed by writing to two control FIFOs; the commands are
# printed before the kiosk starts.
demo_kiosk() { # demo_kiosk CONF DEMO_DIR
    local conf=$1 dir=$2 sim card
    /usr/bin/python3 "$here/tests/rigs/ga467-sim.py" --link "$dir/ga467" \
        --control "$dir/ga467.ctl" >/dev/null &
    sim=$!
    mkfifo "$dir/sscard.ctl"
    # O_RDWR keeps the FIFO open between two writers (no end of input).
    /usr/bin/python3 "$VSSCARD" --port "$PCSC_RIG_PORT" --hold <>"$dir/sscard.ctl" >/dev/null &
    card=$!
    printf '[devices]\nid-reader-serial=%s\n' "$dir/ga467" >>"$conf"
    platform_config "$dir" >>"$conf"
    cat <<HELP
==> virtual cards, from another terminal:
    echo "place resident" > $dir/ga467.ctl     # an ID card on the reader (also: elder, foreign, hkmt)
    echo lift > $dir/ga467.ctl                 # take it away
    echo "insert $here/tests/data/sscard/zhang-sanfeng.json" > $dir/sscard.ctl
    echo remove > $dir/sscard.ctl              # take the social-security card out
HELP
    local status=0
    "$here/_build/ui/linli-kiosk" --config "$conf" || status=$?
    kill "$sim" "$card" 2>/dev/null || true
    return $status
}

# The [platform] section for a kiosk run inside tests/rigs/platform-rig.sh:
# the simulated county platform, its pinned CA and this kiosk's certificate;
# the outbox and the catalog cache live in the demo's own directory.
platform_config() { # platform_config STATE_DIR
    [ -n "${LINLI_PLATFORM_URL:-}" ] || return 0
    printf '[platform]\nurl=%s\nca=%s\ncert=%s\nkey=%s\noutbox=%s\ncache-dir=%s\n' \
        "$LINLI_PLATFORM_URL" "$LINLI_PLATFORM_CA" "$LINLI_PLATFORM_CERT" \
        "$LINLI_PLATFORM_KEY" "$1/outbox.sqlite" "$1/cache"
}

run_demo() {
    build _build
    local conf dir
    dir=$(mktemp -d /tmp/linli-demo.XXXXXX)
    conf="$dir/kiosk.conf"
    # The demo's embedded defaults: a GStreamer test camera instead of
    # /dev/video0, a private CUPS queue that prints into a PDF file, and the
    # virtual card readers of demo_kiosk.
    cat >"$conf" <<CONF
[kiosk]
receipt-index=$dir/receipts.sqlite
[devices]
camera-source=videotestsrc pattern=smpte
printer=linli-demo
[maintenance]
audit-db=$dir/audit.db
CONF
    export LINLI_LOCALEDIR="$here/_build/po"
    if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
        printf '[display]\nfullscreen=false\n' >>"$conf"
        log "starting the kiosk in a window (stop it with Ctrl+C here)"
        # The rigs are sh scripts: the kiosk's part runs as this script again.
        LINLI_SIM="$here/_build/services/sim/linli-platform-sim" \
            "$here/tests/rigs/platform-rig.sh" run -- \
            "$here/tests/rigs/cupsd-rig.sh" run --queue linli-demo -- \
            "$here/tests/rigs/pcscd-rig.sh" run -- bash "$here/packaging/setup.sh" demo-kiosk "$conf" "$dir"
        return
    fi
    local shots="$here/_build/demo-screens"
    log "no display: running the kiosk under Xvfb and walking its screens"
    "$here/tests/rigs/cupsd-rig.sh" run --queue linli-demo -- \
        "$here/_build/kiosk/linli-diag" --config "$conf" devices
    # Speech goes to a private null sink: a machine without a display
    # usually has no sound card either.
    CI='' "$here/tests/rigs/pulse-rig.sh" run -- "$here/tests/rigs/pcscd-rig.sh" run -- \
        "$here/tests/ui/run-ui-test.sh" card-walk.py "$here/_build/ui/linli-kiosk" \
        "$here/tests/data/kiosk-test.conf" "$shots"
    CI='' "$here/tests/rigs/pulse-rig.sh" run -- \
        "$here/tests/ui/run-ui-test.sh" kiosk-walk.py "$here/_build/ui/linli-kiosk" \
        "$here/tests/data/kiosk-test.conf" "$shots"
    LINLI_SIM="$here/_build/services/sim/linli-platform-sim" CI='' \
        "$here/tests/rigs/pulse-rig.sh" run -- "$here/tests/rigs/platform-rig.sh" run -- \
        "$here/tests/ui/run-ui-test.sh" platform-walk.py "$here/_build/ui/linli-kiosk" \
        "$here/tests/data/kiosk-test.conf" "$shots"
    # A resident pays the water bill and takes the receipt (simulated phone).
    LINLI_SIM="$here/_build/services/sim/linli-platform-sim" CI='' \
        LINLI_DIAG="$here/_build/kiosk/linli-diag" \
        "$here/tests/rigs/pulse-rig.sh" run -- "$here/tests/rigs/platform-rig.sh" run -- \
        "$here/tests/rigs/cupsd-rig.sh" run -- \
        "$here/tests/ui/run-ui-test.sh" payment-walk.py "$here/_build/ui/linli-kiosk" \
        "$here/tests/data/kiosk-test.conf" "$shots"
    log "screenshots of every screen are in $shots"
}

case "${1:-}" in
    demo)
        install_packages
        run_demo
        ;;
    test)
        install_packages
        run_tests
        ;;
    demo-kiosk) # inside the demo's rigs (run_demo)
        demo_kiosk "$2" "$3"
        ;;
    *)
        echo "usage: $0 demo|test" >&2
        exit 2
        ;;
esac
