"""Threads for pages that embed the widget."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tribuna.antispam.ratelimit import hit
from tribuna.discussion.models import Thread
from tribuna.embed.middleware import origin_allowed
from tribuna.lib.http import client_ip, rate_key_of
from tribuna.lib.pagekeys import MAX_KEY_LENGTH, origin_of, page_key
from tribuna.lib.text import clean_line


def thread_for_embed(request: HttpRequest, key: str, *, title: str = "") -> Thread | None:
    """Create the thread of an embedding page on its first comment.

    Only for a page address (a slug names a statement, published or not yet, and never opens
    a thread here) on the configured origin the request comes from: a page of one allowed site
    cannot open threads for another's pages. Anything else is an unknown thread.
    """
    origin = request.headers.get("Origin", "")
    key = page_key(key) or ""
    sender = page_key(origin)
    if not key or len(key) > MAX_KEY_LENGTH or not origin_allowed(origin) or sender is None \
            or origin_of(key) != origin_of(sender):
        return None
    # The Origin header keeps browsers on other sites out, but any script can send it:
    # opening new threads is limited per client like posting is.
    hit("new-thread", rate_key_of(client_ip(request)), *settings.TRIBUNA_NEW_THREAD_LIMIT)
    thread, _ = Thread.objects.get_or_create(key=key, defaults={"title": clean_line(title)[:300], "url": key})
    return thread
