"""Avatars drawn here from a keyed hash: no Gravatar, no request to anyone else.

The URL carries only keyed_hash(email or name, "avatar"), which cannot be reversed or
compared with other sites without our SECRET_KEY; the picture is computed from the hash
alone, so serving it needs no lookup and reveals nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tribuna.lib.http import avatar_path

DIGEST = re.compile(r"^[0-9a-f]{32}$")
GRID = 5
CELL = 8
PAD = 4


def avatar_url(comment_like) -> str:
    """The avatar's path for a Comment, or a mapping with author_email / author_name."""
    if isinstance(comment_like, Mapping):
        email, name = comment_like.get("author_email", ""), comment_like.get("author_name", "")
    else:
        email, name = comment_like.author_email, comment_like.author_name
    return avatar_path(email or "", name or "")


def identicon_svg(digest: str) -> str:
    """A symmetric 5x5 pattern in one colour, both taken from the digest's bytes."""
    if not DIGEST.match(digest):
        raise ValueError("not an avatar digest")
    data = bytes.fromhex(digest)
    hue = int.from_bytes(data[:2], "big") % 360
    colour = f"hsl({hue},55%,45%)"
    size = GRID * CELL + 2 * PAD
    cells = []
    bit = 0
    for x in range((GRID + 1) // 2):
        for y in range(GRID):
            on = data[2 + bit // 8] >> (bit % 8) & 1
            bit += 1
            if not on:
                continue
            for column in {x, GRID - 1 - x}:
                cells.append(
                    f'<rect x="{PAD + column * CELL}" y="{PAD + y * CELL}" width="{CELL}" height="{CELL}"/>'
                )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}">'
        f'<rect width="{size}" height="{size}" fill="#eef0f2"/><g fill="{colour}">{"".join(cells)}</g></svg>'
    )
