"""The WSGI application `tribuna serve` runs (Granian), and any other WSGI server can."""

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribuna.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by get_wsgi_application()

from tribuna.core import worker  # noqa: E402
from tribuna.discussion.edge import PageEdge  # noqa: E402
from tribuna.lib.http import forwarded_scheme  # noqa: E402

pages = PageEdge(django_application)  # warm thread pages leave before Django builds a request


def application(environ, start_response):
    """Believe X-Forwarded-Proto from a trusted proxy only, as for the client address.

    Behind a TLS-terminating proxy the request is https even though it reaches us as http;
    Django's CSRF origin check and absolute URLs need to know. Granian, unlike gunicorn,
    has no option for this, so it is done here.
    """
    if settings.TRIBUNA_TRUSTED_PROXIES:
        environ["wsgi.url_scheme"] = forwarded_scheme(environ, environ.get("wsgi.url_scheme", "http"))
    return pages(environ, start_response)


# Seconds after the application is loaded before its background work starts: the spam model's load and
# the in-process worker, started with the application, compete with the server's first answer for the
# interpreter (0.1-0.2 s of a 1-1.5 s start, measured with bench/bench.py's start-up runs).
BACKGROUND_AFTER = 1.0


def _start_background() -> None:
    """Load the spam model beside the first requests rather than before them (a comment posted sooner
    loads it itself), and start the worker's thread when the server runs it (`serve --with-worker`)."""
    from tribuna.antispam.registry import warm_up

    if settings.TRIBUNA_SERVE_WORKER:
        worker.start_in_thread(settings.DATA_DIR / "worker")
    warm_up()


_background = threading.Timer(BACKGROUND_AFTER, _start_background)
_background.name, _background.daemon = "tribuna-background", True
_background.start()
