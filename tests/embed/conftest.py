"""Fixtures of the embed tests: one configured embedding site and one stranger."""

from __future__ import annotations

import pytest


@pytest.fixture
def blog(settings) -> str:
    """The one origin configured to embed the widget."""
    settings.TRIBUNA_ALLOWED_ORIGINS = ["https://blog.example.org"]
    return "https://blog.example.org"


@pytest.fixture
def stranger() -> str:
    return "https://evil.example.net"
