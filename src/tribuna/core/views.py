"""The translation catalogue of Tribuna's JavaScript, served by Tribuna itself.

The embed widget runs on other sites, where Django's template tags cannot reach: it loads
`/i18n/<language>.json` (the language of its `data-lang`, or the host page's) and looks its
strings up there. Tribuna's own pages carry the same catalogue inline ({% script_catalogue %}),
so their scripts need no extra request.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from tribuna.lib import ratelimit
from tribuna.lib.errors import RateLimited, answer
from tribuna.lib.http import client_ip, rate_key_of


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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset for staff accounts, in Tribuna's look. The link in the email is built
    from TRIBUNA_BASE_URL, never from the request's Host header, and requests are rate-limited."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        try:
            client = rate_key_of(client_ip(self.request))
            ratelimit.hit("password-reset", client, *settings.TRIBUNA_PASSWORD_RESET_LIMIT)
            ratelimit.hit(
                "password-reset-email",
                form.cleaned_data["email"].lower(),
                *settings.TRIBUNA_PASSWORD_RESET_LIMIT,
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            return answer(self.render_to_response(self.get_context_data(form=form)), exc)
        base = urlsplit(settings.BASE_URL)
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context={"site_name": settings.TRIBUNA_SITE_NAME},
        )
        return HttpResponseRedirect(self.get_success_url())
