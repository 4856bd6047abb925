"""Hostile values for every writable field: the payload lists in tests/fixtures, plus a few built here.

Each `*.txt` file in tests/fixtures is a list, one payload a line; files named `*.escaped.txt`
write control characters as Python escapes (`\\x00`, `\\r\\n`), decoded here.
"""

from __future__ import annotations

import codecs
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _load() -> list[str]:
    found: list[str] = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line:
                continue
            if path.name.endswith(".escaped.txt"):
                line = codecs.decode(line.encode("utf-8"), "unicode_escape").encode("utf-16", "surrogatepass").decode(
                    "utf-16", "replace")
            found.append(line)
    return found


TEXT_PAYLOADS = [*_load(), "x" * 100_000, "<" * 20_000, "a." * 4999 + "a", "[](" * 5000, "*" * 10_000]
# JSON bodies can carry more than strings: each of these goes in every field of a JSON endpoint too.
JSON_PAYLOADS = [*TEXT_PAYLOADS, 0, -1, 2**70, 1.5, True, None, [], {}, ["a"], {"a": 1}, [[[[[[[[]]]]]]]]]


def problems(responses: list[tuple[object, int, str]]) -> list[str]:
    """The answers that are not a normal answer or a precise 4xx: any 5xx."""
    return [f"{status} for {payload!r:.80}: {body[:200]}" for payload, status, body in responses if status >= 500]
