#!/bin/sh
# Appliance test: the Debian packages build from a clean copy of the
# source (what git tracks, plus this worktree's uncommitted changes to
# tracked files) with "dpkg-buildpackage -us -uc -b", and lintian finds no
# errors in them. The .debs are left in OUT_DIR for package-install.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: package-build.sh SOURCE_ROOT OUT_DIR
# Exit status: 0 pass, 1 fail, 77 skip (dpkg-buildpackage, debhelper or
# lintian missing; a failure instead when CI is set).
#
# The build is kept short: buildtype plain (dh's default), no tests
# (debian/rules), parallel=2, and the build tree is not reused.
set -eu

src=$1
out=$2

log() { printf '%s\n' "package-build: $*" >&2; }

skip_or_fail() {
    if [ -n "${CI:-}" ]; then
        log "FAIL: $* (CI is set, so the rig must be complete)"
        exit 1
    fi
    log "SKIP: $*"
    exit 77
}

for tool in dpkg-buildpackage dh lintian git fakeroot; do
    command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool is not installed"
done

git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    skip_or_fail "$src is not a git checkout (the copy is made from what git tracks)"

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/linli-0.1.0
mkdir "$tree"

# Only what git tracks: no build directories, no stray files. The working
# tree's versions, so an uncommitted change is tested as it is.
(cd "$src" && git ls-files -z --cached) | (cd "$src" && xargs -0 tar -cf - --no-recursion) |
    tar -xf - -C "$tree"
# dpkg-buildpackage wants debian/ at the top; the packaging keeps it under
# packaging/ (its symlinks point to ../systemd).
ln -s packaging/debian "$tree/debian"

start=$(date +%s)
log "dpkg-buildpackage -us -uc -b in $tree"
if ! (cd "$tree" && DEB_BUILD_OPTIONS="parallel=2 nocheck" \
    dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
    tail -n 60 "$work/build.log" >&2
    log "FAIL: dpkg-buildpackage failed"
    exit 1
fi
log "built in $(($(date +%s) - start)) s"

changes=$(ls "$work"/linli_*.changes)
mkdir -p "$out"
rm -f "$out"/*.deb
cp "$work"/*.deb "$out"/
ls -l "$out"/*.deb

# Errors fail; warnings are printed (and overridden where unavoidable, with
# reasons, in packaging/debian/*.lintian-overrides).
lintian --tag-display-limit 0 "$changes" >"$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log"; then
    log "FAIL: lintian reports errors"
    exit 1
fi
log "PASS: packages built, lintian: $(grep -c '^W: ' "$work/lintian.log" || true) warnings, no errors"
