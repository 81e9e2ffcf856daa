#!/bin/sh
# Appliance test: the built linli-kiosk .deb installs on this machine and
# the installed kiosk starts under cage as the user linli.
# - apt-get install --reinstall of the .deb (idempotent; the same version
#   again is reinstalled, so a rebuilt package is what is tested);
# - the system user linli with its groups, /var/lib/linli 0700 linli:linli,
#   /etc/linli/kiosk.conf a conffile, the GTK inspector keybinding off,
#   linli-diag --version = the package's upstream version;
# - systemd-analyze verify on the installed unit (every binary now exists);
# - /usr/bin/linli-kiosk with /etc/linli/kiosk.conf and the installed
#   translations under cage headless as linli: cage-attract.sh checks a
#   non-blank, full-screen screenshot.
# The package stays installed (the unit is not enabled, nothing is started
# at boot); later tests use the build tree's programs, not these.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: package-install.sh DEB_DIR OUTPUT_PNG
# Exit status: 0 pass, 1 fail, 77 skip (not root, no .deb built, apt or
# cage tools missing; a failure instead when CI is set).
set -eu

debs=$1
out_png=$2
here=$(cd "$(dirname "$0")" && pwd)

log() { printf '%s\n' "package-install: $*" >&2; }

skip_or_fail() {
    if [ -n "${CI:-}" ]; then
        log "FAIL: $* (CI is set, so the rig must be complete)"
        exit 1
    fi
    log "SKIP: $*"
    exit 77
}

[ "$(id -u)" -eq 0 ] || skip_or_fail "installing a package needs root"
for tool in apt-get dpkg-query systemd-analyze gsettings; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool is not installed"
done
deb=$(find "$debs" -maxdepth 1 -name 'linli-kiosk_*.deb' 2>/dev/null | head -n 1)
[ -n "$deb" ] || skip_or_fail "no linli-kiosk .deb in $debs (package-build runs first)"
case $deb in /*) ;; *) deb=$PWD/$deb ;; esac

log "installing $deb"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    --reinstall "$deb" >"${TMPDIR:-/tmp}/linli-apt.log" 2>&1; then
    tail -n 30 "${TMPDIR:-/tmp}/linli-apt.log" >&2
    log "FAIL: apt-get install $deb"
    exit 1
fi

status=0
fail() {
    log "FAIL: $*"
    status=1
}

id linli >/dev/null 2>&1 || fail "no user linli"
groups=$(id -nG linli 2>/dev/null || true)
for g in linli video render audio dialout; do
    case " $groups " in *" $g "*) ;; *) fail "linli is not in group $g (groups: $groups)" ;; esac
done
[ "$(getent passwd linli | cut -d: -f6,7)" = /var/lib/linli:/usr/sbin/nologin ] ||
    fail "linli's home and shell: $(getent passwd linli)"
[ "$(stat -c '%a %U %G' /var/lib/linli 2>/dev/null)" = "700 linli linli" ] ||
    fail "/var/lib/linli is '$(stat -c '%a %U %G' /var/lib/linli 2>&1)', want '700 linli linli'"
dpkg-query --showformat='${Conffiles}\n' --show linli-kiosk | grep -q '^ /etc/linli/kiosk.conf [0-9a-f]' ||
    fail "/etc/linli/kiosk.conf is not a conffile of linli-kiosk"
inspector=$(env -u XDG_CONFIG_HOME GSETTINGS_BACKEND=memory gsettings get org.gtk.gtk4.Settings.Debug enable-inspector-keybinding)
[ "$inspector" = false ] || fail "GTK inspector keybinding is '$inspector', want false"
want=$(dpkg-query --showformat='${Version}' --show linli-kiosk)
want=${want%-*}
got=$(/usr/bin/linli-diag --version)
[ "$got" = "linli-diag $want" ] || fail "linli-diag --version says '$got', package is $want"
if ! systemd-analyze verify /lib/systemd/system/linli-kiosk.service >"${TMPDIR:-/tmp}/linli-verify.log" 2>&1 ||
    [ -s "${TMPDIR:-/tmp}/linli-verify.log" ]; then
    cat "${TMPDIR:-/tmp}/linli-verify.log" >&2
    fail "systemd-analyze verify on the installed unit"
fi
[ "$status" -eq 0 ] && log "installed: user linli ($groups), /var/lib/linli 0700, conffile, inspector off, $got"

# The installed kiosk, its configuration and translations (not the build
# tree's: LINLI_LOCALEDIR is dropped) under cage as linli.
env -u LINLI_LOCALEDIR LINLI_CAGE_USER=linli \
    "$here/cage-attract.sh" /usr/bin/linli-kiosk /etc/linli/kiosk.conf "$out_png" || status=$?
exit "$status"
