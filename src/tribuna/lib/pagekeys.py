"""Thread keys of embedded pages: the page's own address, normalised.

A statement's thread is keyed by its slug; an embedded page's by its absolute http(s) URL.
The two spaces cannot meet (a slug has no "://"), so no embed can open, seed or take over
the thread of a statement that is not published yet.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_KEY_LENGTH = 300  # Thread.key's column


def page_key(value: str) -> str | None:
    """The normalised address, or None if `value` is not an absolute http(s) URL.

    Scheme and host lower-case, default port and fragment dropped, an empty path made "/",
    user info dropped; the path and query are kept as they are, as they name the page.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def origin_of(key: str) -> str:
    """scheme://host[:port] of a normalised page key."""
    parts = urlsplit(key)
    return f"{parts.scheme}://{parts.netloc}"


def thread_key(value: str) -> str:
    """What a client named, as threads are stored: page addresses normalised, slugs as they are."""
    return page_key(value) or value
