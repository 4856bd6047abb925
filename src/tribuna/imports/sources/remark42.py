"""Remark42 backup: JSON lines, gzipped or not; the first line holds users and posts, then one comment a line.

Remark42 keeps neither emails nor websites, and its "ip" is a hash, not an address, so
those stay empty. Blocked users' comments stay visible as Remark42 showed them; read-only
posts become closed threads.
"""

from __future__ import annotations

import json
from pathlib import Path

from tribuna.imports.convert import text_or_empty, utc_from_iso
from tribuna.imports.files import read_bytes
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord


def parse(path: Path, options: dict) -> Parsed:
    data = read_bytes(path, options["max_bytes"])
    parsed = Parsed()
    try:
        lines = data.decode("utf-8", errors="replace" if options.get("lenient") else "strict").splitlines()
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text at byte {exc.start}.") from exc
    if not lines:
        raise ImportFileError(f"{path}: empty file, not a Remark42 backup.")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{path}: line 1 is not the Remark42 header ({exc.msg}).") from exc
    if not isinstance(header, dict) or header.get("version") != 1:
        raise ImportFileError(f"{path}: not a Remark42 backup version 1 (first line {lines[0][:60]!r}).")
    read_only = {
        text_or_empty(p.get("url"))
        for p in header.get("posts") or []
        if isinstance(p, dict) and p.get("read_only")
    }
    threads: dict[str, ThreadRecord] = {}
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        try:
            comment = json.loads(line)
            if not isinstance(comment, dict):
                raise ValueError("not an object")
            locator = comment.get("locator") or {}
            url = text_or_empty(locator.get("url"))
            user = comment.get("user") or {}
            votes = comment.get("votes") or {}
        except (ValueError, AttributeError) as exc:
            if not options.get("lenient"):
                raise ImportFileError(
                    f"{path}: line {number} is not a comment ({exc}). Nothing was imported; "
                    "use --lenient to skip such lines."
                ) from exc
            parsed.skip("unreadable line (--lenient)", f"line {number}")
            continue
        if url not in threads:
            threads[url] = ThreadRecord(source_id=url, url=url, is_open=url not in read_only)
        site = text_or_empty(locator.get("site"))
        up = sum(1 for v in votes.values() if v is True)
        down = sum(1 for v in votes.values() if v is False)
        deleted = bool(comment.get("delete"))
        parsed.comments.append(
            CommentRecord(
                source_id=f"{site}/{comment.get('id')}",
                thread_id=url,
                parent_id=f"{site}/{comment['pid']}" if comment.get("pid") else None,
                created=utc_from_iso(text_or_empty(comment.get("time"))),
                text=text_or_empty(comment.get("text")),
                text_is_html=True,
                author_name=text_or_empty(user.get("name")),
                is_moderator=bool(user.get("admin")),
                status="deleted" if deleted else "approved",
                upvotes=up,
                downvotes=down,
            )
        )
    parsed.threads.extend(threads.values())
    return parsed
