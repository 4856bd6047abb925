#!/bin/sh
# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || {
    echo "Could not install chromium; browser tests will fail." >&2; exit 1; }
else
  echo "The browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)." >&2
  exit 1
fi
