"""The widget's files at stable addresses: /embed.js (i18n.js, its translator, then embed.js), /embed.css, and the vendored ALTCHA
proof-of-work widget it loads, /altcha.js, /altcha-worker.js and /altcha.css.

Embedding pages cannot know our static file names, so the widget lives at fixed URLs at
the site root. They are cached for a week (a new release reaches embedding pages within
that time; the ETag makes the revalidation after that a cheap 304). /embed.css is
thread.css (the shared discussion styles, which our own pages load on their own) followed
by embed.css (the widget's additions), so an embedding page needs one stylesheet.

The ALTCHA files are read by script, not only run: embed.js imports /altcha.js as a module
and fetches /altcha-worker.js to start it as a worker inside the host page (a worker must
come from the page's own origin). Both need CORS, so both allow any origin: they are public,
static and carry no credentials.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

STATIC = Path(__file__).resolve().parent.parent / "static" / "tribuna"
MAX_AGE = 7 * 24 * 60 * 60
ASSETS = {
    "js": (("i18n.js", "embed.js"), "text/javascript; charset=utf-8"),
    "css": (("thread.css", "embed.css"), "text/css; charset=utf-8"),
    "count": (("i18n.js", "count.js"), "text/javascript; charset=utf-8"),
    "altcha": (("vendor/altcha/altcha.js",), "text/javascript; charset=utf-8"),
    "altcha-worker": (("vendor/altcha/pbkdf2-worker.js",), "text/javascript; charset=utf-8"),
    "altcha-css": (("vendor/altcha/altcha.css",), "text/css; charset=utf-8"),
}
READ_BY_SCRIPTS = {"altcha", "altcha-worker"}


@lru_cache(maxsize=8)
def _load(names: tuple[str, ...], mtimes: tuple[float, ...]) -> tuple[bytes, str]:
    """The file contents and their ETag, read again only when a file changes on disk."""
    body = b"\n".join((STATIC / name).read_bytes() for name in names)
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def asset(kind: str) -> tuple[bytes, str, str]:
    names, content_type = ASSETS[kind]
    body, etag = _load(names, tuple((STATIC / name).stat().st_mtime for name in names))
    return body, etag, content_type


def _serve(request: HttpRequest, kind: str) -> HttpResponse:
    body, etag, content_type = asset(kind)
    # gzip_page weakens the ETag it sends (W/"..."); the content is the same either way.
    if request.headers.get("If-None-Match", "").removeprefix("W/") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # Pages on other sites load these files; a page with COEP must be allowed to.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if kind in READ_BY_SCRIPTS:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@gzip_page
def asset_view(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the files above; `kind` comes from the URL pattern (embed.urls), never the request."""
    return _serve(request, kind)
