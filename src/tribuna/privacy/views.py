"""Privacy pages: the notice, "my data" for commenters, personal data for staff, avatars.

Pages behind a signed link answer GET by showing and POST by acting, so a mail client
that prefetches the link changes nothing.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tribuna.discussion.services import record_ownership
from tribuna.lib.errors import DomainError, answers_domain_errors
from tribuna.lib.http import client_ip
from tribuna.lib.owned_addresses import owns, remember
from tribuna.moderation.audit import log_action
from tribuna.moderation.roles import is_moderator
from tribuna.privacy import services
from tribuna.privacy.avatars import identicon_svg
from tribuna.privacy.forms import EmailForm, EraseForm, PersonalDataForm
from tribuna.privacy.notice import build_notice


def notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice.html", {"notice": build_notice()})


def _private(response: HttpResponse) -> HttpResponse:
    """Pages about one person's data are never cached or indexed.

    The site-wide Referrer-Policy (same-origin) already keeps link tokens from other sites;
    "no-referrer" here would make browsers send "Origin: null" and fail the CSRF check.
    """
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _ask_context(form: EmailForm) -> dict:
    return {"form": form, "hours": settings.TRIBUNA_MY_DATA_LINK_HOURS}


def _my_data_refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    form = EmailForm(request.POST)
    form.is_valid()
    form.add_error(None, exc.message)
    return _private(render(request, "privacy/my_data.html", _ask_context(form)))


@require_http_methods(["GET", "POST"])
@answers_domain_errors(_my_data_refused)
def my_data(request: HttpRequest) -> HttpResponse:
    """Ask for a link to your data; the answer is the same whether we know the address or not."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.request_link(email, client_ip(request))
        context = {"email": services.normalise(email), "hours": settings.TRIBUNA_MY_DATA_LINK_HOURS}
        return _private(render(request, "privacy/my_data_sent.html", context))
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "privacy/my_data.html", _ask_context(form), status=status))


def _bad_link(request: HttpRequest, exc: DomainError, token: str) -> HttpResponse:
    """The "ask for a link" page, saying what was wrong with this one (the decorator sets 400)."""
    context = {**_ask_context(EmailForm()), "link_error": exc.message}
    return _private(render(request, "privacy/my_data.html", context))


def _sections(data: dict) -> list[dict]:
    """The export's sections for a page: comments first, then each other app's, named readably."""
    names = sorted(data["sections"], key=lambda name: name != services.COMMENTS)
    return [
        {"name": name, "title": name.replace("_", " ").capitalize(), "rows": data["sections"][name]}
        for name in names
    ]


def _manage_context(
    request: HttpRequest, email: str, token: str, erase_form: EraseForm | None = None
) -> dict:
    return {
        "email": email,
        "token": token,
        "sections": _sections(services.export_data(email)),
        "erase_form": erase_form or EraseForm(),
        "export_format": services.EXPORT_FORMAT,
        "known": owns(request, email),
    }


@answers_domain_errors(_bad_link)
def my_data_manage(request: HttpRequest, token: str) -> HttpResponse:
    email = services.check_link_token(token)
    return _private(render(request, "privacy/my_data_manage.html", _manage_context(request, email, token)))


@require_POST
@answers_domain_errors(_bad_link)
def my_data_known(request: HttpRequest, token: str) -> HttpResponse:
    """The link was mailed to the address: following it and pressing the button proves owning it."""
    email = services.check_link_token(token)
    record_ownership(email)
    response = redirect(reverse("privacy:my_data_manage", args=[token]) + "#known")
    remember(request, response, email)
    return _private(response)


def _download(data: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return _private(response)


@require_POST
@answers_domain_errors(_bad_link)
def my_data_export(request: HttpRequest, token: str) -> HttpResponse:
    return _download(services.export_data(services.check_link_token(token)))


@require_POST
@answers_domain_errors(_bad_link)
def my_data_erase(request: HttpRequest, token: str) -> HttpResponse:
    email = services.check_link_token(token)
    form = EraseForm(request.POST)
    if not form.is_valid():
        context = _manage_context(request, email, token, form)
        return _private(render(request, "privacy/my_data_manage.html", context, status=400))
    erased = services.erase_data(email)
    return _private(render(request, "privacy/my_data_erased.html", {"email": email, "erased": erased}))


def avatar(request: HttpRequest, digest: str) -> HttpResponse:
    response = HttpResponse(identicon_svg(digest), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_http_methods(["GET", "POST"])
def personal_data(request: HttpRequest) -> HttpResponse:
    """Staff run the same export and erasure for an address; both are written to the audit log."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_moderator(request.user):
        return _private(render(request, "privacy/forbidden.html", status=403))
    form = PersonalDataForm(request.POST if request.method == "POST" else None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        email, action = form.cleaned_data["email"], form.cleaned_data["action"]
        if action == "export":
            data = services.export_data(email)
            log_action("privacy.export", user=request.user, note=services.audit_note(email))
            return _download(data)
        if action == "erase":
            context["erased"] = services.erase_data(email)
            log_action(
                "privacy.erase", user=request.user, after=context["erased"], note=services.audit_note(email)
            )
        context["sections"] = _sections(services.export_data(email))
        context["email"] = services.normalise(email)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return _private(render(request, "privacy/personal_data.html", context, status=status))
