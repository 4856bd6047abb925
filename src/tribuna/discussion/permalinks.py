"""A comment's permanent address, `/c/<id>/`, and the page of its thread that holds it.

Threads are paged by a keyset cursor over top-level comments, so a bare `#c477` fragment
only works while the comment is on the first page. The permalink works out which page holds
the comment's top-level ancestor and redirects there, scrolled to the comment, with or
without JavaScript. Locating costs a count over the thread's top-level comments; it runs
only when someone follows a link, never on the page's hot path.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from tribuna.discussion.models import Comment
from tribuna.discussion.services import SORTS, _after_cursor, encode_cursor

SORT = "oldest"  # what a reader sees by default, and what the links point into


def path_of(comment_id: int) -> str:
    return f"/c/{comment_id}/"


def url_of(comment_id: int) -> str:
    """The absolute permalink, for emails and feeds: built from BASE_URL, never from a request."""
    return settings.BASE_URL + path_of(comment_id)


def page_cursor_for(comment: Comment) -> str | None:
    """The cursor of the page (default order and size) that shows `comment`; None for the first page."""
    root = Comment.objects.values("id", "is_pinned", "created").get(pk=comment.root_id or comment.pk)
    roots = Comment.objects.visible().filter(thread_id=comment.thread_id, depth=0)
    after_root = _after_cursor(SORT, root["is_pinned"], root["created"], root["id"])
    before = roots.exclude(after_root | Q(pk=root["id"])).count()
    page_index = before // settings.TRIBUNA_PAGE_SIZE
    if page_index == 0:
        return None
    order, _, _ = SORTS[SORT]
    last_of_previous = roots.order_by(*order).values("id", "is_pinned", "created")[
        page_index * settings.TRIBUNA_PAGE_SIZE - 1
    ]
    return encode_cursor(
        [last_of_previous["is_pinned"], last_of_previous["created"].isoformat(), last_of_previous["id"]]
    )
