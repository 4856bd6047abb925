"""Comentario exports: v1 (Commento's format) and v3 (pages, comments with isApproved/isPending/isDeleted).

Comentario's own importer gives every comment a new id, so importing twice doubles
everything; here the comment's own id is the source id.
"""

from __future__ import annotations

from pathlib import Path

from tribuna.imports.convert import markdown_or_html, missing, text_or_empty, utc_from_iso
from tribuna.imports.files import load_json, read_bytes
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord
from tribuna.imports.sources.commento import parse_v1


def parse(path: Path, options: dict) -> Parsed:
    document = load_json(path, read_bytes(path, options["max_bytes"]))
    version = document.get("version") if isinstance(document, dict) else None
    if version == 1:
        return parse_v1(path, document)
    if version == 3:
        return _v3(path, document)
    raise ImportFileError(
        f"{path}: not a Comentario export of a version this importer knows (1 or 3; found {version!r})."
    )


def _v3(path: Path, document: dict) -> Parsed:
    parsed = Parsed()
    pages = {p.get("id"): p for p in document.get("pages") or [] if isinstance(p, dict)}
    people = {c.get("id"): c for c in document.get("commenters") or [] if isinstance(c, dict)}
    for page_id, page in pages.items():
        parsed.threads.append(
            ThreadRecord(
                source_id=text_or_empty(page_id),
                url=text_or_empty(page.get("path")) or "/",
                title=text_or_empty(page.get("title")),
                is_open=not page.get("isReadonly"),
            )
        )
    for index, comment in enumerate(document.get("comments") or []):
        if not isinstance(comment, dict) or missing(comment.get("id")):
            parsed.skip("comment entry without id", f"comments[{index}]")
            continue
        person = people.get(comment.get("userCreated")) or {}
        # A zero deletedTime ("0001-01-01…") means not deleted; isDeleted is what counts.
        if comment.get("isDeleted"):
            status = "deleted"
        elif comment.get("isPending"):
            status = "pending"
        elif comment.get("isApproved", True):
            status = "approved"
        else:
            status = "spam"  # moderated and rejected
        raw_score = comment.get("score")
        score = raw_score if isinstance(raw_score, int) else 0
        parent = text_or_empty(comment.get("parentId"))
        text = text_or_empty(comment.get("markdown")) or text_or_empty(comment.get("html"))
        parsed.comments.append(
            CommentRecord(
                source_id=text_or_empty(comment["id"]),
                thread_id=text_or_empty(comment.get("pageId")),
                parent_id=parent or None,
                created=utc_from_iso(text_or_empty(comment.get("createdTime"))),
                edited=utc_from_iso(text_or_empty(comment.get("editedTime"))),
                text=markdown_or_html(text),
                author_name=text_or_empty(person.get("name")) or text_or_empty(comment.get("authorName")),
                author_email=text_or_empty(person.get("email")),
                author_url=text_or_empty(person.get("websiteUrl")),
                is_moderator=bool(person.get("isModerator")),
                status=status,
                upvotes=max(score, 0),
                downvotes=max(-score, 0),
            )
        )
    return parsed
