#!/bin/sh
# Copy the ALTCHA widget that package-lock.json pins (npm registry, MIT) into Tribuna's static
# files, where pages and the embed load it from Tribuna itself: no CDN, no third-party request.
# Run after changing its version in package.json and `npm install`; tests/embed/test_vendored_altcha.py
# checks that the copy matches the installed package.
set -eu
SRC=node_modules/altcha
DEST=src/tribuna/static/tribuna/vendor/altcha
[ -d "$SRC" ] || npm ci --no-audit --no-fund --loglevel=error
cp "$SRC/dist/external/altcha.min.js" "$DEST/altcha.js"      # the widget without inline styles or blob workers (strict CSP)
cp "$SRC/dist/external/altcha.css" "$DEST/altcha.css"
cp "$SRC/dist/workers/pbkdf2.js" "$DEST/pbkdf2-worker.js"    # the one algorithm Tribuna issues
cp "$SRC/LICENSE.txt" "$DEST/LICENSE.txt"
node -e 'process.stdout.write(require("./node_modules/altcha/package.json").version + "\n")' > "$DEST/VERSION"
