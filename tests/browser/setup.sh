#!/bin/sh
# Install what the browser test needs: Debian's Chromium (through
# scripts/deps.sh) and playwright-core from npm, into tests/browser.
set -eu
cd "$(dirname "$0")"
../../scripts/deps.sh browser
[ -d node_modules/playwright-core ] ||
	npm install --no-audit --no-fund --loglevel=error >/dev/null
