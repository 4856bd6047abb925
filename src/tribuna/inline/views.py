"""Page routes of inline feedback: a statement's passage comments as Web Annotations."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse

from tribuna.discussion.models import Thread
from tribuna.inline import services
from tribuna.statements.models import Statement

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def annotations_response(statement, thread: Thread | None) -> HttpResponse:
    """Shared with the API's /annotations; kept here so page URLs never load django-ninja (the worker's)."""
    body = json.dumps(services.annotation_collection(statement, thread), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type=JSONLD)


def annotations_page(request: HttpRequest, slug: str) -> HttpResponse:
    statement = Statement.objects.published().filter(slug=slug).first()
    if statement is None:
        raise Http404("No such statement.")
    return annotations_response(statement, Thread.objects.filter(statement=statement).first())
