#!/bin/sh
# Set up the demo database, load the samples, run the worker beside the production server.
set -eu
BIN=.venv/bin
export TRIBUNA_DEMO_MAILBOX="${TRIBUNA_DEMO_MAILBOX:-1}"
$BIN/tribuna migrate --noinput -v0
$BIN/tribuna demo
$BIN/tribuna worker --loop &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Tribuna demo: http://127.0.0.1:${PORT:-8000}/  (mail is kept in ${TRIBUNA_DATA_DIR}/mail and shown at /mailbox/ in the demo)"
$BIN/tribuna serve --no-migrate
