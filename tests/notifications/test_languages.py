"""Emails go out in the language the reader used when subscribing."""

from __future__ import annotations

import pytest
from django.utils import translation

from tribuna.notifications.models import Address

from .conftest import text_of

pytestmark = pytest.mark.django_db


def test_a_reader_who_subscribed_in_french_is_written_to_in_french(smtp, api, thread, deliver):
    response = api.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Claire",
            "text": "Un avis.",
            "email": "claire@example.org",
            "notify": "replies",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 201
    assert Address.objects.get(email="claire@example.org").language == "fr"
    deliver()
    [message] = smtp.messages
    with translation.override("fr"):
        subject = translation.gettext("Confirm your email address")
        unsubscribe = translation.gettext("Unsubscribe:")
    assert subject != "Confirm your email address", "the French catalogue translates it"
    assert subject in message["Subject"]
    assert unsubscribe in text_of(message)


def test_a_reader_who_subscribed_in_english_gets_english(smtp, api, thread, deliver):
    api.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Ada",
            "text": "A view.",
            "email": "ada@example.org",
            "notify": "replies",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    deliver()
    assert "Confirm your email address" in smtp.messages[0]["Subject"]
