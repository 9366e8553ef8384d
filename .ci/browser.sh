#!/usr/bin/env bash
# The browser test's tools (tests/browser.rs): Debian's Chromium, Node.js and npm when missing,
# then the test's own packages, exactly as tests/browser/package-lock.json pins them
# (puppeteer-core, which downloads no browser: the test drives /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    echo "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# (Debian's wrapper script complains on stderr about its memory check; the version is what counts.)
/usr/bin/chromium --version 2>/dev/null
echo "node $(node --version), npm $(npm --version)"

( cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error )
