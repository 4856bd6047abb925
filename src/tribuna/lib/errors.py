"""Domain errors that services raise; one place per front end turns them into HTTP answers.

Services never raise HTTP errors themselves: the JSON API (django-ninja exception handlers
in tribuna/api.py) and the HTML views (the `answers_domain_errors` decorator) translate
these, so the same verb can be called from a view, the API, a command or the worker.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    status = 400  # the HTTP status either front end answers with

    @property
    def message(self) -> str:
        return str(self)


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""

    status = 404


class Forbidden(DomainError):
    """The caller may not do this."""

    status = 403


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule; `field` names the part at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class Banned(DomainError):
    """The author is banned; the message is neutral on purpose."""

    status = 403

    @property
    def message(self) -> str:
        return gettext("Your comment cannot be accepted on this site.")


@dataclass
class RateLimited(DomainError):
    scope: str
    retry_after: int
    wording: str = ""  # what the service that limits wants people to read, if not the general sentence

    status = 429

    def __str__(self) -> str:
        return self.wording or ngettext(
            "Too many requests (%(scope)s limit). Try again in %(n)d second.",
            "Too many requests (%(scope)s limit). Try again in %(n)d seconds.",
            self.retry_after,
        ) % {"scope": self.scope, "n": self.retry_after}


def answer(response: HttpResponse, exc: DomainError) -> HttpResponse:
    """Give a response the status of the error, and a client limited in time the moment to retry."""
    response.status_code = exc.status
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


ErrorPage = Callable[..., HttpResponse]


def answers_domain_errors(error_page: ErrorPage):
    """Decorate an HTML view: a DomainError it raises is shown by error_page with the right status.

    error_page(request, exc, *args, **kwargs) renders the page again with the error's message
    (usually as a form error); `answer` then sets the status and Retry-After.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return answer(error_page(request, exc, *args, **kwargs), exc)

        return wrapped

    return decorator
