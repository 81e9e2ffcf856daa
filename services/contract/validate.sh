#!/bin/sh
# Validates services/platform.openapi.yaml, the kiosk <-> county platform
# contract, against the official OpenAPI 3.0 JSON Schema with every $ref
# resolved, using @seriousme/openapi-schema-validator (pinned in
# package.json / package-lock.json). Registered as the meson test
# `openapi-contract` (suite `style`).
#
# Exit: 0 valid, 1 invalid or the validator could not be installed,
# 77 (skip) when node/npm are missing -- unless $CI is set, then 1.
# Usage: validate.sh [DOCUMENT]   (default: ../platform.openapi.yaml)
set -u
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
doc=${1:-"$here/../platform.openapi.yaml"}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if [ -n "${CI:-}" ]; then
		echo "openapi-contract: node/npm not found and \$CI is set" >&2
		exit 1
	fi
	echo "openapi-contract: node/npm not found, skipping" >&2
	exit 77
fi

if [ ! -f "$doc" ]; then
	echo "openapi-contract: $doc: no such file" >&2
	exit 1
fi

cli="$here/node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js"
if [ ! -f "$cli" ]; then
	echo "openapi-contract: installing the validator (npm ci)" >&2
	if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2); then
		echo "openapi-contract: npm ci failed" >&2
		exit 1
	fi
fi
if [ ! -f "$cli" ]; then
	echo "openapi-contract: validator missing after npm ci: $cli" >&2
	exit 1
fi

out=$(node "$cli" "$doc" 2>&1)
rc=$?
printf '%s\n' "$out"
# The CLI exits 1 on an invalid document; check its verdict too, so that a
# future CLI that exits 0 with "valid": false cannot pass silently.
if [ $rc -ne 0 ] || ! printf '%s' "$out" | grep -q '"valid": true'; then
	echo "openapi-contract: $doc is NOT a valid OpenAPI document" >&2
	exit 1
fi
echo "openapi-contract: $doc is valid"
exit 0
