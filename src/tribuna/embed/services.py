"""Threads for pages that embed the widget."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from tribuna.discussion.models import Thread
from tribuna.embed.middleware import origin_allowed
from tribuna.lib.http import client_ip, rate_key_of
from tribuna.lib.ratelimit import hit
from tribuna.lib.text import clean_line


def thread_for_embed(request: HttpRequest, key: str, *, title: str = "", url: str = "") -> Thread | None:
    """Create the thread for a new key on first use, but only for a configured embedding origin.

    A key from anywhere else is unknown (a missing or foreign site must never act on ours).
    """
    origin = request.headers.get("Origin", "")
    if not origin_allowed(origin):
        return None
    # The Origin header keeps browsers on other sites out, but any script can send it:
    # opening new threads is limited per client like posting is.
    hit("new-thread", rate_key_of(client_ip(request)), *settings.TRIBUNA_NEW_THREAD_LIMIT)
    page_url = clean_line(url)
    parts = urlsplit(page_url)
    if not page_url or f"{parts.scheme}://{parts.netloc}" != origin:
        page_url = origin + (key if key.startswith("/") else "/")
    thread, _ = Thread.objects.get_or_create(key=key, defaults={"title": clean_line(title)[:300], "url": page_url})
    return thread
