#!/bin/sh
# What the browser tests need beyond Python: Debian's Chromium, and axe-core from npm for
# the accessibility checks. Installed when missing and we are allowed to (root on Debian).
set -eu

install_debian() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $* for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "The browser tests need: $* (apt-get install $*)." >&2
    exit 1
  fi
}

[ -x /usr/bin/chromium ] || install_debian chromium
command -v npm >/dev/null 2>&1 || install_debian nodejs npm
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/axe-core/axe.min.js
fi
