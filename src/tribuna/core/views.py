"""The translation catalogue of Tribuna's JavaScript, served by Tribuna itself.

The embed widget runs on other sites, where Django's template tags cannot reach: it loads
`/i18n/<language>.json` (the language of its `data-lang`, or the host page's) and looks its
strings up there. Pages on Tribuna's own origin load the same file.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.i18n import JSONCatalog

_catalog = JSONCatalog.as_view(domain="djangojs", packages=None)


@cache_control(public=True, max_age=3600)
def js_catalog(request: HttpRequest, language: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404("No catalogue for that language.")
    with translation.override(language):
        return _catalog(request)
