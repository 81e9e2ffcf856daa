#!/bin/bash
# Runs an AT-SPI test script against the real kiosk: Xvfb at 1080p, a window
# manager (without one gtk_window_fullscreen does not fill the screen), and a
# private D-Bus session so the AT-SPI bus dies with the test.
# Usage: run-ui-test.sh SCRIPT KIOSK_BINARY CONFIG ARTIFACT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

for tool in xvfb-run dbus-run-session matchbox-window-manager xdotool xwd convert; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "missing $tool"
        [ -n "${CI:-}" ] && exit 1
        exit 77
    fi
done
if ! /usr/bin/python3 -c 'import pyatspi' 2>/dev/null; then
    echo "missing python3-pyatspi"
    [ -n "${CI:-}" ] && exit 1
    exit 77
fi

export WALK="$here/$1" KIOSK="$2" CONFIG="$3" ARTIFACTS="$4"
mkdir -p "$ARTIFACTS"
# Inside tests/rigs/platform-rig.sh the kiosk talks to the simulated county
# platform: the test's configuration gets a [platform] section, with the
# outbox and the catalog cache in a directory of their own.
if [ -n "${LINLI_PLATFORM_URL:-}" ]; then
    state=$(mktemp -d)
    trap 'rm -rf "$state"' EXIT
    # The kiosk id must be the certificate's CN.
    # Receipts kept by number go to the test's own directory too.
    sed -e "s/^id=.*/id=$LINLI_PLATFORM_KIOSK_ID/" \
        -e "s|^\[kiosk\]\$|[kiosk]\nreceipt-index=$state/receipts.sqlite|" \
        "$CONFIG" >"$state/kiosk.conf"
    printf '\n[platform]\nurl=%s\nca=%s\ncert=%s\nkey=%s\noutbox=%s\ncache-dir=%s\n' \
        "$LINLI_PLATFORM_URL" "$LINLI_PLATFORM_CA" "$LINLI_PLATFORM_CERT" \
        "$LINLI_PLATFORM_KEY" "$state/outbox.sqlite" "$state/cache" >>"$state/kiosk.conf"
    export CONFIG="$state/kiosk.conf" LINLI_TEST_STATE_DIR="$state"
fi
xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    dbus-run-session -- sh -c '
        matchbox-window-manager -use_titlebar no >/dev/null 2>&1 &
        wm=$!
        /usr/bin/python3 "$WALK" "$KIOSK" "$CONFIG" "$ARTIFACTS"
        status=$?
        kill $wm 2>/dev/null
        exit $status' 2>&1 | { grep -v -e "^dbus-daemon\[" -e "SpiRegistry daemon" || true; }
