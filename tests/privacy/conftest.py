"""Fixtures for the privacy tests: a locmem mailbox and comments written by one address."""

from __future__ import annotations

import pytest
from django.core import mail


@pytest.fixture
def mailbox(settings):
    """Django's in-memory email backend (the notifications tests own the real SMTP fixture)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def alice_thread(thread, post_comment):
    """Alice's comments on the thread: a top-level one that Bob answered, one nobody answered,
    and a reply of her own to Bob; plus a comment by Bob alone."""
    first = post_comment(
        text="Alice's first thoughts on the statement.",
        name="Alice",
        email="alice@example.org",
        url="https://alice.example.org/",
    )
    bob = post_comment(
        text="Bob answers with a view of his own.", name="Bob", email="bob@example.org", parent=first["id"]
    )
    lonely = post_comment(
        text="Alice again, on another part of the text.", name="Alice", email="alice@example.org"
    )
    reply = post_comment(
        text="Alice replies to Bob and thanks him.", name="Alice", email="alice@example.org", parent=bob["id"]
    )
    return {"first": first["id"], "bob": bob["id"], "lonely": lonely["id"], "reply": reply["id"]}
