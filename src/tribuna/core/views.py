"""The translation catalogue of Tribuna's JavaScript, served by Tribuna itself.

The embed widget runs on other sites, where Django's template tags cannot reach: it loads
`/i18n/<language>.json` (the language of its `data-lang`, or the host page's) and looks its
strings up there. Tribuna's own pages carry the same catalogue inline ({% script_catalogue %}),
so their scripts need no extra request.
"""

from __future__ import annotations

from functools import cache

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog


@cache
def script_catalogue(language: str) -> dict:
    """{"catalog": {msgid: translation or plural forms}} of the `djangojs` domain, built once per language."""
    view = JavaScriptCatalog(domain="djangojs")
    with translation.override(language):
        view.translation = translation.trans_real.DjangoTranslation(language, domain="djangojs")
        return {"language": language, "catalog": view.get_catalog()}


@cache_control(public=True, max_age=3600)
def js_catalog(request: HttpRequest, language: str) -> JsonResponse:
    try:  # "fr-ca" is served French, "pt-BR" Brazilian Portuguese
        supported = translation.get_supported_language_variant(language.lower())
    except LookupError:
        raise Http404("No catalogue for that language.") from None
    response = JsonResponse(script_catalogue(supported))
    response["Access-Control-Allow-Origin"] = "*"  # the widget on any site reads it; public, no credentials
    return response
