"""The JSON shape of a comment and of a thread page: defined once, here.

`CommentOut` documents the shape in the OpenAPI document; `comment_json()` builds exactly
that shape from a database row. Pages are cached as encoded bytes and sent without passing
through the schema again (validating 200 comments per cold page would cost more than
reading them), so the tests validate what the hot path sends against these classes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from ninja import Field, Schema
from pydantic import ConfigDict

from tribuna.discussion.models import Comment
from tribuna.lib.http import avatar_path

# Columns a page reads, in this order (see services.thread_page); comment_json() takes such a row.
COMMENT_COLUMNS = (
    "id",
    "parent_id",
    "reply_to_id",
    "status",
    "author_name",
    "author_url",
    "html",
    "created",
    "edited",
    "score",
    "upvotes",
    "downvotes",
    "is_pinned",
    "is_moderator",
    "anchor",
    "anchor_orphaned",
    "language",
    "author_email",  # only to draw the avatar's keyed hash: never sent
    "kind",  # keep last: thread_page reads it as row[-1]
)


class Strict(Schema):
    """What we send has exactly these keys: tests validate answers against the schemas."""

    model_config = ConfigDict(extra="forbid")


class AuthorOut(Strict):
    name: str = Field(description="Empty for a placeholder.")
    url: str | None
    avatar: str | None = Field(
        description="Path of the author's avatar, drawn by this server; none for a placeholder."
    )


class ReplyToOut(Strict):
    id: int
    name: str = Field(description="Empty when the comment answered is no longer shown.")


class CommentOut(Strict):
    id: int
    parent: int | None = Field(description="The comment this reply is shown under.")
    author: AuthorOut
    html: str = Field(description="Sanitised HTML, safe to insert.")
    created: str = Field(description="ISO 8601 with offset.")
    edited: str | None
    score: int
    upvotes: int
    downvotes: int
    deleted: bool = Field(description="A placeholder keeping its replies' place; nothing of it is shown.")
    pinned: bool
    moderator: bool
    reply_to: ReplyToOut | None = Field(
        description="The comment answered, when the depth cap shows the reply beside it rather than under it."
    )
    anchor: list[dict] | None = Field(description="W3C Web Annotation selectors of the passage commented on.")
    anchor_orphaned: bool
    language: str | None = Field(description="Language of the page it was written on (BCP 47), if known.")
    replies: list[CommentOut]


class ThreadOut(Strict):
    key: str
    title: str
    url: str
    count: int
    open: bool


class PageOut(Strict):
    thread: ThreadOut
    comments: list[CommentOut]
    next: str | None = Field(description="Cursor of the next page, if there is one.")


def _iso(value: datetime | str | None) -> str | None:
    """Timestamps as ISO 8601 in UTC: SQLite hands back naive datetimes, PostgreSQL aware ones."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def comment_json(row: tuple, names: dict[int, str]) -> dict:
    """A comment as CommentOut describes it: no email, no address, placeholders emptied.

    `row` holds COMMENT_COLUMNS in order; `names` maps ids to the names shown for `reply_to`.
    """
    (
        pk,
        parent,
        reply_to,
        status,
        name,
        url,
        html,
        created,
        edited,
        score,
        upvotes,
        downvotes,
        pinned,
        moderator,
        anchor,
        orphaned,
        language,
        email,
        kind,
    ) = row
    # A placeholder (a hidden comment, pingback or trackback with replies): nothing of it is shown.
    deleted = status != Comment.Status.APPROVED or kind != Comment.Kind.COMMENT
    if isinstance(anchor, str | bytes):  # JSON kept as text (SQLite)
        anchor = orjson.loads(anchor)
    return {
        "id": pk,
        "parent": parent,
        "author": {
            "name": "" if deleted else name,
            "url": None if deleted else url or None,
            "avatar": None if deleted else avatar_path(email, name),
        },
        "html": "" if deleted else html,
        "created": _iso(created),
        "edited": _iso(edited),
        "score": score,
        "upvotes": upvotes,
        "downvotes": downvotes,
        "deleted": deleted,
        "pinned": bool(pinned),
        "moderator": bool(moderator),
        "reply_to": {"id": reply_to, "name": names.get(reply_to, "")} if reply_to else None,
        "anchor": None if deleted else anchor,
        "anchor_orphaned": bool(orphaned),
        "language": language or None,
        "replies": [],
    }


def comment_json_of(comment: Comment) -> dict:
    """The same shape for a comment already in memory (the answer to a post or an edit)."""
    return comment_json(tuple(getattr(comment, column) for column in COMMENT_COLUMNS), {})
