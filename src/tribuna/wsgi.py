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


def _warm_up() -> None:
    """Load the spam model beside the first requests rather than before them (start-up time)."""
    from tribuna.antispam.registry import warm_up

    warm_up()


threading.Thread(target=_warm_up, name="tribuna-warm-up", daemon=True).start()

if settings.TRIBUNA_SERVE_WORKER:
    worker.start_in_thread(settings.DATA_DIR / "worker")
