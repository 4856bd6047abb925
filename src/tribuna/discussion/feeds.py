"""Atom feeds of approved comments: one per statement's discussion, and one for the whole site.

Feed readers are how many people follow a discussion without giving anyone their email
address, so each thread and the site publish one. Only approved comments appear; the
stored, sanitised HTML is what the page shows, so nothing is rendered twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed

from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.permalinks import path_of, url_of
from tribuna.statements.models import Statement

FEED_SIZE = 50


class _CommentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Comment) -> str:
        return f"{item.author_name} on {item.thread.title or item.thread.key}"

    def item_description(self, item: Comment) -> str:
        return item.html

    def item_link(self, item: Comment) -> str:
        return path_of(item.pk)

    def item_guid(self, item: Comment) -> str:
        return url_of(item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Comment):
        return item.created

    def item_updateddate(self, item: Comment):
        return item.edited or item.created

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_author_link(self, item: Comment) -> str | None:
        return item.author_url or None


def _statement(thread: Thread) -> Statement:
    assert thread.statement is not None  # get_object() serves statements' threads only
    return thread.statement


class ThreadCommentsFeed(_CommentFeed):
    """The newest approved comments under one published statement."""

    def get_object(self, request: HttpRequest, slug: str) -> Thread:
        statement = Statement.objects.published().filter(slug=slug).first()
        thread = (
            statement
            and Thread.objects.filter(key=statement.discussion_key).select_related("statement").first()
        )
        if not thread or thread.statement_id is None:
            raise Http404("No such statement.")
        return thread

    def title(self, obj: Thread) -> str:
        return f"Comments on {_statement(obj).title}"

    def link(self, obj: Thread) -> str:
        return _statement(obj).get_absolute_url() + "#discussion"

    def subtitle(self, obj: Thread) -> str:
        return f"The discussion of “{_statement(obj).title}” on {settings.TRIBUNA_SITE_NAME}."

    def items(self, obj: Thread):
        return (
            Comment.objects.approved()
            .filter(thread=obj)
            .select_related("thread")
            .order_by("-created", "-id")[:FEED_SIZE]
        )


class RecentCommentsFeed(_CommentFeed):
    """The newest approved comments under every published statement of the site."""

    link = "/"

    def title(self) -> str:
        return f"Recent comments on {settings.TRIBUNA_SITE_NAME}"

    def subtitle(self) -> str:
        return "The newest comments under every statement."

    def items(self):
        published = Statement.objects.published().values("pk")
        return (
            Comment.objects.approved()
            .filter(thread__statement__in=published)
            .select_related("thread")
            .order_by("-created", "-id")[:FEED_SIZE]
        )
