#!/bin/sh
# Set up the demo database, load the samples, serve them with the production server, which also runs
# the worker (mail, periodic jobs) in a thread: one process tree, as a small site would run it.
set -eu
BIN=.venv/bin
export TRIBUNA_DEMO_MAILBOX="${TRIBUNA_DEMO_MAILBOX:-1}"
# pip compiles installed packages, not this editable checkout: without this, every start compiles
# Tribuna's modules again where PYTHONDONTWRITEBYTECODE is set (0.1 s of a 1.1-1.3 s start, bench.py).
$BIN/python -m compileall -q src >/dev/null
$BIN/tribuna migrate --noinput -v0
$BIN/tribuna demo
echo "Tribuna demo: http://127.0.0.1:${PORT:-8000}/  (mail is kept in ${TRIBUNA_DATA_DIR}/mail and shown at /mailbox/ in the demo)"
exec $BIN/tribuna serve --no-migrate --with-worker
