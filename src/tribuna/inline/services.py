"""Passage anchors on comments (W3C Web Annotation selectors)."""

from __future__ import annotations

from tribuna.lib.api_errors import ApiError


def validate_anchor(thread, selectors: list[dict]) -> list[dict]:
    raise ApiError(400, errors={"anchor": ["Passage comments are not available yet."]})


def attach_anchor(comment, selectors: list[dict]) -> None:
    raise NotImplementedError("passage anchors come with the inline feedback issue")
