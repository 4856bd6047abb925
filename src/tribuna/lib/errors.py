"""Domain errors that services raise; one place per front end turns them into HTTP answers.

Services never raise HTTP errors themselves: the JSON API (django-ninja exception handlers)
and the HTML views (one decorator) translate these, so the same verb can be called from a
view, the API, a command or the worker.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it exists."""


class Forbidden(DomainError):
    """The caller may not do this."""


class InvalidInput(DomainError):
    """The request is well-formed but its content breaks a rule."""


class Banned(DomainError):
    """The author is banned; the message is neutral on purpose."""

    message = "Your comment cannot be accepted on this site."


@dataclass
class RateLimited(DomainError):
    scope: str
    retry_after: int

    def __str__(self) -> str:
        return f"Too many requests ({self.scope} limit). Try again in {self.retry_after} seconds."
