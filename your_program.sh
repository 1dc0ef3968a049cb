#!/bin/sh
# Starts wirehttp, building it first when dist/ is missing or older than the sources.
set -e
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --silent --no-audit --no-fund >&2
fi
if [ ! -f dist/cli.js ] || [ -n "$(find src tsconfig.json package.json -newer dist/cli.js 2>/dev/null | head -n 1)" ]; then
  npx --no-install tsc -p tsconfig.json >&2
  touch dist/cli.js
fi
exec node dist/cli.js "$@"
