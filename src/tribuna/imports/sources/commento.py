"""Commento v1 JSON export: {"version": 1, "comments": [...], "commenters": [...]}.

Comentario's v1 export is the same format (with host/path instead of domain/url), so both
importers read it here. Comments arrive in any order; the writer orders them by parent.
"""

from __future__ import annotations

from pathlib import Path

from tribuna.imports.convert import markdown_or_html, missing, text_or_empty, utc_from_iso
from tribuna.imports.files import load_json, read_bytes
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord

STATES = {"approved": "approved", "unapproved": "pending", "flagged": "spam"}


def parse(path: Path, options: dict) -> Parsed:
    document = load_json(path, read_bytes(path, options["max_bytes"]))
    if not isinstance(document, dict) or document.get("version") != 1:
        version = document.get("version") if isinstance(document, dict) else None
        raise ImportFileError(f"{path}: not a Commento export version 1 (version {version!r}).")
    return parse_v1(path, document)


def parse_v1(path: Path, document: dict) -> Parsed:
    parsed = Parsed()
    comments, commenters = document.get("comments") or [], document.get("commenters") or []
    if not isinstance(comments, list) or not isinstance(commenters, list):
        raise ImportFileError(f"{path}: 'comments' and 'commenters' must be lists.")
    people = {c.get("commenterHex"): c for c in commenters if isinstance(c, dict)}
    threads: dict[str, ThreadRecord] = {}
    for index, comment in enumerate(comments):
        if not isinstance(comment, dict) or missing(comment.get("commentHex")):
            parsed.skip("comment entry without commentHex", f"comments[{index}]")
            continue
        domain = text_or_empty(comment.get("domain") or comment.get("host"))
        page = text_or_empty(comment.get("url") or comment.get("path")) or "/"
        url = f"https://{domain}{page}" if domain and page.startswith("/") else page
        if url not in threads:
            threads[url] = ThreadRecord(source_id=url, url=url)
        # "anonymous" (and unknown hexes) have no commenter record: the name is Anonymous.
        person = people.get(comment.get("commenterHex")) or {}
        parent = text_or_empty(comment.get("parentHex"))
        raw_score = comment.get("score")
        score = raw_score if isinstance(raw_score, int) else 0
        state = text_or_empty(comment.get("state")) or "approved"
        if state not in STATES:
            parsed.note(f"comments with unknown state {state!r} kept as pending")
        text = text_or_empty(comment.get("markdown")) or text_or_empty(comment.get("html"))
        parsed.comments.append(
            CommentRecord(
                source_id=text_or_empty(comment["commentHex"]),
                thread_id=url,
                parent_id=None if parent in {"", "root"} else parent,
                created=utc_from_iso(text_or_empty(comment.get("creationDate"))),
                text=markdown_or_html(text),
                author_name=text_or_empty(person.get("name")) or "Anonymous",
                author_email=text_or_empty(person.get("email")),
                author_url=text_or_empty(person.get("link")),
                is_moderator=bool(person.get("isModerator")),
                status="deleted" if comment.get("deleted") is True else STATES.get(state, "pending"),
                upvotes=max(score, 0),
                downvotes=max(-score, 0),
            )
        )
    parsed.threads.extend(threads.values())
    return parsed
