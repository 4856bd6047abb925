"""Public statement pages: the latest statements, one statement (its discussion included by a tag), the feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.feedgenerator import Atom1Feed

from tribuna.statements.models import Statement


def index(request: HttpRequest) -> HttpResponse:
    statements = Statement.objects.published().select_related("body", "thread")[:20]
    return render(request, "statements/index.html", {"statements": statements})


def published_or_404(slug: str) -> Statement:
    return get_object_or_404(Statement.objects.published().select_related("body"), slug=slug)


def detail(request: HttpRequest, slug: str, *, extra_context: dict | None = None, status: int = 200) -> HttpResponse:
    """The statement; `{% discussion statement %}` in the template brings its discussion."""
    context = {"statement": published_or_404(slug), **(extra_context or {})}
    return render(request, "statements/detail.html", context, status=status)


class StatementFeed(Feed):
    feed_type = Atom1Feed
    title = "Latest statements"
    link = "/"
    subtitle = "Statements published on this site."

    def items(self):
        return Statement.objects.published().select_related("body")[:30]

    def item_title(self, item: Statement) -> str:
        return item.title

    def item_description(self, item: Statement) -> str:
        return item.summary or item.plain_text[:400]

    def item_pubdate(self, item: Statement):
        return item.published_at

    def item_updateddate(self, item: Statement):
        return item.updated

    def item_author_name(self, item: Statement) -> str:
        return item.body.name
