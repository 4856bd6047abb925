#!/bin/sh
# Fails when a translation catalogue is out of date with the code, or when a shipped language
# leaves a string of the reader-facing pages untranslated. Needs GNU gettext (msgattrib).
set -eu
cd "$(dirname "$0")/.."
locale=src/tribuna/locale

make -s messages >/dev/null 2>&1 || { echo "make messages failed"; exit 1; }
if ! git diff --quiet -I '^"POT-Creation-Date: ' -- "$locale"; then
  echo "Translation catalogues are out of date: run 'make messages', translate, 'make compile-messages'."
  git diff --stat -- "$locale"
  exit 1
fi

# Reader-facing: everything but the moderation and admin screens and the staff-only personal-data page.
staff='templates/moderation/|static/tribuna/moderation\.js|/admin\.py|templates/privacy/personal_data\.html|management/commands/'
status=0
for po in "$locale"/*/LC_MESSAGES/*.po; do
  missing=$( (msgattrib --untranslated --no-obsolete "$po"; msgattrib --only-fuzzy --no-obsolete "$po") \
    | STAFF="$staff" awk '
        /^#: / { loc = loc " " substr($0, 4); next }
        /^msgid / { if (loc != "") { n = split(loc, files, " "); reader = 0
                      for (i = 1; i <= n; i++) if (files[i] != "" && files[i] !~ ENVIRON["STAFF"]) reader = 1
                      if (reader) print $0 } loc = ""; next }')
  if [ -n "$missing" ]; then
    echo "$po leaves reader-facing strings untranslated:"; echo "$missing" | head -20
    status=1
  fi
done
# The compiled catalogues shipped beside them are current (msgfmt's output is deterministic).
compiled=$(mktemp)
for po in "$locale"/*/LC_MESSAGES/*.po; do
  msgfmt --check-format -o "$compiled" "$po" || { status=1; continue; }
  cmp -s "$compiled" "${po%.po}.mo" || { echo "${po%.po}.mo is stale: run 'make compile-messages'"; status=1; }
done
rm -f "$compiled"
exit $status
