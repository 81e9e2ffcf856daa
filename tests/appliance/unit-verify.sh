#!/bin/sh
# Appliance test: the systemd files of the package are valid.
# - systemd-analyze verify on linli-kiosk.service: any message at all fails
#   (verify exits 0 on an unknown key or a bad DeviceAllow=, only saying so);
#   it needs the ExecStart= binary (cage) to exist, as on a kiosk;
# - the sysusers.d and tmpfiles.d files applied to a scratch root: the user
#   linli with its groups, /var/lib/linli 0700;
# - systemd-analyze security --offline: the unit's exposure, printed.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: unit-verify.sh SOURCE_ROOT
# Works without systemd as PID 1 (a container): everything is offline.
# Exit status: 0 pass, 1 fail, 77 skip (systemd-analyze or cage missing;
# a failure instead when CI is set).
set -eu

src=$1
sysd=$src/packaging/systemd

log() { printf '%s\n' "unit-verify: $*" >&2; }

skip_or_fail() {
    if [ -n "${CI:-}" ]; then
        log "FAIL: $* (CI is set, so the rig must be complete)"
        exit 1
    fi
    log "SKIP: $*"
    exit 77
}

for tool in systemd-analyze systemd-sysusers systemd-tmpfiles cage; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool is not installed"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-unit.XXXXXX")
trap 'rm -rf "$work"' EXIT

status=0
if ! systemd-analyze verify "$sysd/linli-kiosk.service" >"$work/verify.log" 2>&1 ||
    [ -s "$work/verify.log" ]; then
    cat "$work/verify.log" >&2
    log "FAIL: systemd-analyze verify linli-kiosk.service"
    status=1
else
    log "systemd-analyze verify linli-kiosk.service: no message"
fi

# A scratch root with the groups a Debian system has (sysusers would make
# missing ones itself); sysusers adds linli. The files go where the package
# puts them, since --root reads them from inside the root.
root=$work/root
mkdir -p "$root/etc" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
printf 'video:x:44:\naudio:x:29:\ndialout:x:20:\nrender:x:105:\n' >"$root/etc/group"
: >"$root/etc/passwd"
cp "$sysd/linli-kiosk.sysusers" "$root/usr/lib/sysusers.d/linli-kiosk.conf"
cp "$sysd/linli-kiosk.tmpfiles" "$root/usr/lib/tmpfiles.d/linli-kiosk.conf"
systemd-sysusers --root="$root" linli-kiosk.conf
systemd-tmpfiles --root="$root" --create linli-kiosk.conf
uid=$(awk -F: '$1 == "linli" { print $3 }' "$root/etc/passwd")
if [ -z "$uid" ] || ! grep -q '^linli:[^:]*:[^:]*:[^:]*:Linli kiosk:/var/lib/linli:/usr/sbin/nologin$' "$root/etc/passwd"; then
    cat "$root/etc/passwd" >&2
    log "FAIL: sysusers did not make the system user linli"
    status=1
fi
for g in video render audio dialout; do
    if ! grep -q "^$g:.*[:,]linli\(,\|\$\)" "$root/etc/group"; then
        log "FAIL: linli is not in group $g"
        status=1
    fi
done
# stat prints numeric ids: the scratch root's user is not the host's.
got=$(stat -c '%a %u' "$root/var/lib/linli" 2>/dev/null || echo missing)
if [ "$got" != "700 $uid" ]; then
    log "FAIL: /var/lib/linli is '$got', want '700 $uid'"
    status=1
fi
[ "$status" -ne 0 ] || log "sysusers.d and tmpfiles.d: user linli (uid $uid), groups, /var/lib/linli 0700"

# The figure: systemd's exposure score (0 safest .. 10), not asserted.
systemd-analyze security --offline=true "$sysd/linli-kiosk.service" 2>/dev/null |
    grep 'Overall exposure' || true
[ "$status" -eq 0 ] && log "PASS"
exit "$status"
