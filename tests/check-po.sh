#!/bin/sh
# Fails when a user-visible string in po/POTFILES.in has no zh_CN translation
# (or a fuzzy one): Chinese is the kiosk's default language, so an
# untranslated string would show English to a resident.
set -eu
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
grep -v '^#' po/POTFILES.in | grep . > "$work/files"
xgettext --files-from="$work/files" --from-code=UTF-8 --keyword=_ --keyword=N_ \
    --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --add-comments \
    --output="$work/linli.pot" 2>/dev/null
msgmerge --quiet --no-fuzzy-matching "po/zh_CN.po" "$work/linli.pot" -o "$work/merged.po"
stats=$(msgfmt --check --statistics -o /dev/null "$work/merged.po" 2>&1)
echo "zh_CN: $stats"
case "$stats" in
    *untranslated*|*fuzzy*) echo "zh_CN.po is incomplete: run 'ninja -C _build linli-update-po' and translate"; exit 1 ;;
esac
