"""Page routes of inline feedback: a statement's passage comments as Web Annotations."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from tribuna.discussion.models import Thread
from tribuna.inline.api import annotations_response
from tribuna.statements.models import Statement


def annotations_page(request: HttpRequest, slug: str) -> HttpResponse:
    statement = Statement.objects.published().filter(slug=slug).first()
    if statement is None:
        raise Http404("No such statement.")
    return annotations_response(statement, Thread.objects.filter(statement=statement).first())
