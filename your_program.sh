#!/bin/sh
# Starts wirehttp, building it first when dist/ is missing or older than the sources.
set -e
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --silent --no-audit --no-fund >&2
fi
node scripts/build.mjs >&2
exec node dist/cli.js "$@"
