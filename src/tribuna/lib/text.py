"""Normalising untrusted text before it is stored.

Names and texts arrive from anonymous readers. We normalise to NFC, drop control
characters (keeping newlines and tabs in bodies), and remove the invisible characters
that let a name impersonate another or reorder the text around it.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates, plus zero-width characters.
INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\ufeff",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u061c",
}
LINE_BREAKS = {"\u2028", "\u2029", "\u0085"}
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """A comment body: NFC, unified newlines, no control characters but tab and newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.isascii() and not _ASCII_CONTROLS.search(value):
        return value.strip()  # nothing below would change it; imports clean 100,000 texts at a time
    value = unicodedata.normalize("NFC", value)
    kept = []
    for char in value:
        if char in LINE_BREAKS:
            kept.append("\n")
        elif char in "\n\t":
            kept.append(char)
        elif unicodedata.category(char) == "Cc":
            continue
        elif char in {"\u202a", "\u202b", "\u202d", "\u202e"}:
            # Overrides can reorder text around them; embeddings and isolates are harmless
            # inside a dir="auto" element, overrides are not.
            continue
        else:
            kept.append(char)
    return "".join(kept).strip()


def clean_line(value: str) -> str:
    """A single-line field (name, email, website): no line breaks or invisible characters."""
    value = unicodedata.normalize("NFC", value)
    kept = [
        " " if char in LINE_BREAKS or char in "\n\t" else char
        for char in value
        if char not in INVISIBLE and unicodedata.category(char) not in {"Cc", "Cf"} or char in "\n\t"
    ]
    return " ".join("".join(kept).split())


def skeleton(value: str) -> str:
    """A crude confusable skeleton for comparing names against reserved ones.

    NFKC folds compatibility forms (fullwidth, ligatures); casefold and the map below catch
    the common Latin look-alikes.
    """
    folded = unicodedata.normalize("NFKC", value).casefold()
    table = str.maketrans(
        {
            "0": "o",
            "1": "l",
            "i": "l",
            "3": "e",
            "5": "s",
            "@": "a",
            "$": "s",
            "а": "a",
            "е": "e",
            "о": "o",
            "р": "p",
            "с": "c",
            "х": "x",
            "і": "l",
        }
    )
    return "".join(ch for ch in folded.translate(table) if ch.isalnum())


def is_row_id(value: object) -> bool:
    """A row id the database can hold, in ASCII digits: "²" passes str.isdigit(), and a longer
    number would overflow the query instead of missing."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) < 2**63
