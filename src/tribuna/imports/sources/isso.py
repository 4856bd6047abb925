"""Isso: its SQLite database (schema versions 3 to 5), or its generic JSON import format.

mode 1 is visible, 2 pending, 4 deleted (kept by Isso only while it has replies);
`created` is a float Unix time, so UTC by definition. Isso stores one level of replies.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tribuna.imports.convert import ip_address, markdown_or_html, text_or_empty, utc_from_iso, utc_from_unix
from tribuna.imports.files import load_json, read_bytes
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord

MODES = {1: "approved", 2: "pending", 4: "deleted"}


def parse(path: Path, options: dict) -> Parsed:
    data = read_bytes(path, options["max_bytes"])
    if data.startswith(b"SQLite format 3\x00"):
        return _database(path)
    return _generic(path, load_json(path, data))


def _database(path: Path) -> Parsed:
    parsed = Parsed()
    # Read-only and immutable: the import never writes to (or locks) the other system's file.
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise ImportFileError(f"{path}: cannot open the Isso database ({exc}).") from exc
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version not in (3, 4, 5):
            raise ImportFileError(
                f"{path}: Isso schema version {version} is not one this importer knows (3 to 5)."
            )
        columns = {row[1] for row in connection.execute("PRAGMA table_info(comments)")}
        for tid, uri, title in connection.execute("SELECT id, uri, title FROM threads ORDER BY id"):
            parsed.threads.append(ThreadRecord(source_id=str(tid), url=uri or "", title=title or ""))
        wanted = [
            "tid",
            "id",
            "parent",
            "created",
            "modified",
            "mode",
            "remote_addr",
            "text",
            "author",
            "email",
            "website",
            "likes",
            "dislikes",
        ]
        select = ", ".join(c if c in columns else "NULL" for c in wanted)
        for row in connection.execute(f"SELECT {select} FROM comments ORDER BY id"):  # noqa: S608 - names are ours
            tid, cid, parent, created, modified, mode, addr, text, author, email, website, likes, dislikes = (
                row
            )
            if mode not in MODES:
                parsed.note(f"comments with unknown mode {mode!r} kept as pending")
            parsed.comments.append(
                CommentRecord(
                    source_id=str(cid),
                    thread_id=str(tid),
                    parent_id=str(parent) if parent else None,
                    created=utc_from_unix(created),
                    edited=utc_from_unix(modified) if modified else None,
                    text=markdown_or_html(text or ""),
                    author_name=author or "",
                    author_email=email or "",
                    author_url=website or "",
                    ip=ip_address(addr),
                    status=MODES.get(mode, "pending"),
                    upvotes=likes or 0,
                    downvotes=dislikes or 0,
                )
            )
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(f"{path}: not a readable Isso database ({exc}).") from exc
    finally:
        connection.close()
    return parsed


def _generic(path: Path, document) -> Parsed:
    """[{"id": uri, "title": …, "comments": [{"id", "author", "email", "website", "remote_addr", "created", "text"}]}]"""
    if not isinstance(document, list):
        raise ImportFileError(f"{path}: not an Isso database or generic JSON (expected a list of threads).")
    parsed = Parsed()
    for number, thread in enumerate(document, 1):
        if not isinstance(thread, dict) or not isinstance(thread.get("comments", []), list):
            parsed.skip("thread entry that is not an object", f"entry {number}", kind="threads")
            continue
        uri = text_or_empty(thread.get("id"))
        parsed.threads.append(ThreadRecord(source_id=uri, url=uri, title=text_or_empty(thread.get("title"))))
        for index, comment in enumerate(thread.get("comments", [])):
            if not isinstance(comment, dict):
                parsed.skip("comment entry that is not an object", f"{uri} #{index}")
                continue
            # Ids in this format are not unique (often all 0), so a comment is named by place and time.
            created = text_or_empty(comment.get("created"))
            parsed.comments.append(
                CommentRecord(
                    source_id=f"{uri}#{comment.get('id')}@{created}#{index}",
                    thread_id=uri,
                    parent_id=None,
                    created=utc_from_iso(created.replace(" ", "T")),
                    text=markdown_or_html(text_or_empty(comment.get("text"))),
                    author_name=text_or_empty(comment.get("author")),
                    author_email=text_or_empty(comment.get("email")),
                    author_url=text_or_empty(comment.get("website")),
                    ip=ip_address(text_or_empty(comment.get("remote_addr"))),
                )
            )
    return parsed
