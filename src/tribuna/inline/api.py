"""Inline feedback API: the passages a statement page marks, and the W3C annotation export."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from tribuna.discussion.models import Thread
from tribuna.inline import services
from tribuna.lib.api_errors import ApiError

router = Router(tags=["inline"])

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


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
    thread = Thread.objects.select_related("statement").filter(key=key, statement__isnull=False).first()
    if thread is None or not thread.statement.is_published:
        raise ApiError(404, "Unknown statement thread.")
    return thread


@router.get("/passages", response={200: PassagesOut, 304: None, 404: DetailOut})
def list_passages(request: HttpRequest, thread: str):
    """Passage comments (with orphaned ones) and editors' questions, for a statement's markers."""
    found = statement_thread(thread)
    etag = f'"passages-{found.pk}-{found.version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        # Cached under the thread's version: re-anchoring, questions and comments all bump it.
        key = f"passages:{etag}"
        body = cache.get(key)
        if body is None:
            body = json.dumps(services.passages(found), separators=(",", ":")).encode()
            cache.set(key, body, timeout=300)
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@router.get("/annotations", response={200: dict, 404: DetailOut})
def list_annotations(request: HttpRequest, thread: str):
    """Passage comments as a W3C Web Annotation collection (JSON-LD)."""
    found = statement_thread(thread)
    return annotations_response(found.statement, found)


def annotations_response(statement, thread: Thread | None) -> HttpResponse:
    body = json.dumps(services.annotations(statement, thread), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type=JSONLD)
