"""Public statement pages: the latest statements, one statement (its discussion included by a tag), the feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language

from tribuna.statements.models import Statement


def index(request: HttpRequest) -> HttpResponse:
    """The latest statements, each once: in the reader's language where a translation is published."""
    published = Statement.objects.published()
    originals = published.filter(translation_of=None).select_related("body", "thread")[:20]
    in_language = {
        s.translation_of_id: s
        for s in published.filter(translation_of__in=originals, language=get_language()).select_related(
            "body", "thread"
        )
    }
    statements = [in_language.get(original.pk, original) for original in originals]
    return render(request, "statements/index.html", {"statements": statements})


def published_or_404(slug: str) -> Statement:
    return get_object_or_404(Statement.objects.published().select_related("body"), slug=slug)


def detail(
    request: HttpRequest, slug: str, *, extra_context: dict | None = None, status: int = 200
) -> HttpResponse:
    """The statement; `{% discussion statement %}` in the template brings its discussion."""
    statement = published_or_404(slug)
    context = {
        "statement": statement,
        "translations": statement.published_translations(),
        **(extra_context or {}),
    }
    return render(request, "statements/detail.html", context, status=status)


class LanguageTaggedAtomFeed(Atom1Feed):
    """Atom entries carry xml:lang, so a multilingual site's feed says each statement's language."""

    def item_attributes(self, item) -> dict:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class StatementFeed(Feed):
    feed_type = LanguageTaggedAtomFeed
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

    def item_extra_kwargs(self, item: Statement) -> dict:
        return {"language": item.language}
