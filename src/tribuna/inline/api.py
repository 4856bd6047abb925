"""Inline feedback API: the passages a statement page marks, and the W3C annotation export."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from tribuna.discussion.models import Thread
from tribuna.inline import services
from tribuna.inline.views import annotations_response
from tribuna.lib.api_errors import ApiError
from tribuna.lib.http import cached_json
from tribuna.statements.models import Statement

router = Router(tags=["inline"])


class PassageCommentOut(Schema):
    id: int
    parent: int | None
    author: dict
    html: str
    created: str
    anchor: list[dict]
    orphaned: bool
    original_quote: str


class QuestionOut(Schema):
    id: int
    question: str
    anchor: list[dict]


class PassagesOut(Schema):
    thread: str
    comments: list[PassageCommentOut]
    questions: list[QuestionOut]


class DetailOut(Schema):
    detail: str


def statement_thread(key: str) -> Thread:
    """The thread of a published statement: only those have passages."""
    thread = (
        Thread.objects.select_related("statement")
        .filter(key=key, statement__in=Statement.objects.published())
        .first()
    )
    if thread is None:
        raise ApiError(404, "Unknown statement thread.")
    return thread


@router.get("/passages", response={200: PassagesOut, 304: None, 404: DetailOut})
def list_passages(request: HttpRequest, thread: str):
    """Passage comments (with orphaned ones) and editors' questions, for a statement's markers."""
    found = statement_thread(thread)
    # Cached under the thread's version: re-anchoring, questions and comments all give it a new version.
    return cached_json(request, f'"passages-{found.pk}-{found.version}"', lambda: services.passages(found))


@router.get("/annotations", response={200: dict, 404: DetailOut})
def list_annotations(request: HttpRequest, thread: str):
    """Passage comments as a W3C Web Annotation collection (JSON-LD)."""
    found = statement_thread(thread)
    return annotations_response(found.statement, found)
