#!/bin/sh
# Checks (or with --fix, applies) .clang-format on every C source of the tree.
set -eu
clang_format=$1
fix=${2:-}
cd "${MESON_SOURCE_ROOT:-$(dirname "$0")/..}"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './_build*')
[ -n "$files" ] || exit 0
if [ "$fix" = "--fix" ]; then
    echo "$files" | xargs "$clang_format" -i
else
    echo "$files" | xargs "$clang_format" --dry-run --Werror
fi
