"""Where personal data lives: each app registers how to export and erase what it keeps per address.

The privacy app's export and erasure walk this registry, so a new app that stores an email
address adds one provider instead of teaching the privacy app about its tables. It lives in
core, below every app, so that registering needs no import of privacy (which sits on top).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    name: str  # the section of the export, e.g. "comments"
    export: Callable[[str], list[dict]]  # email -> JSON-ready rows
    erase: Callable[[str], int]  # email -> number of rows removed or anonymised


_providers: dict[str, Provider] = {}


def register(name: str, *, export: Callable[[str], list[dict]], erase: Callable[[str], int]) -> None:
    _providers[name] = Provider(name=name, export=export, erase=erase)


def providers() -> list[Provider]:
    return list(_providers.values())
