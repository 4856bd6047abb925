"""The normalised records every source's parser produces and the one writer consumes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


class ImportFileError(Exception):
    """The file cannot be imported as it is; the message names where and why."""


@dataclass
class StatementRecord:
    source_id: str
    title: str
    slug: str
    text: str  # Markdown
    published_at: datetime | None
    published: bool
    author: str = ""  # the old system's author login, mapped to an issuing body by --body-for


@dataclass
class ThreadRecord:
    source_id: str
    url: str  # the page's address on the old site, absolute or a path
    title: str = ""
    statement_id: str | None = None  # a StatementRecord of the same file this thread belongs to
    is_open: bool = True


@dataclass
class CommentRecord:
    source_id: str
    thread_id: str
    parent_id: str | None
    created: datetime | None
    text: str  # Markdown, or HTML when text_is_html (the writer converts it, in parallel)
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    ip: str = ""
    status: str = "approved"  # approved | pending | spam | deleted
    kind: str = "comment"  # comment | pingback | trackback
    upvotes: int = 0
    downvotes: int = 0
    is_moderator: bool = False
    edited: datetime | None = None
    text_is_html: bool = False
    html: str = ""  # rendered by the writer


@dataclass
class Parsed:
    statements: list[StatementRecord] = field(default_factory=list)
    threads: list[ThreadRecord] = field(default_factory=list)
    comments: list[CommentRecord] = field(default_factory=list)
    # (kind, reason) the parser left something out, and where (e.g. "line 12"); the report lists them.
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    where: dict[str, list[str]] = field(default_factory=dict)

    def skip(self, reason: str, where: str = "", kind: str = "comments") -> None:
        self.skipped[(kind, reason)] += 1
        if where:
            self.where.setdefault(reason, [])
            if len(self.where[reason]) < 10:
                self.where[reason].append(where)

    def note(self, what: str, n: int = 1) -> None:
        self.notes[what] += n
