#!/bin/sh
# Appliance test: the watchdog path with a stand-in for systemd
# (watchdog-restart.py) and the real kiosk under Xvfb in a private D-Bus
# session.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: watchdog-restart.sh KIOSK CONFIG
# Exit status: 0 pass, 1 fail, 77 skip (Xvfb or dbus-run-session missing;
# a failure instead when CI is set).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

for tool in xvfb-run dbus-run-session; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "watchdog-restart: missing $tool" >&2
        [ -n "${CI:-}" ] && exit 1
        exit 77
    fi
done
# GDK_BACKEND=x11: a caller's Wayland display must not be used instead.
GDK_BACKEND=x11 xvfb-run -a -s "-screen 0 1280x720x24 -nolisten tcp" \
    dbus-run-session -- /usr/bin/python3 -u "$here/watchdog-restart.py" "$1" "$2"
