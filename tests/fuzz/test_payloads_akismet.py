"""Every payload list in tests/fixtures, in every field of every Akismet route: no 500."""

from __future__ import annotations

import pytest

from tests.fuzz.payloads import TEXT_PAYLOADS, problems
from tests.fuzz.test_akismet_fuzz import FIELDS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROUTES = ["/1.1/verify-key", "/1.1/comment-check", "/1.1/submit-spam", "/1.1/submit-ham", "/1.2/usage-limit"]


@pytest.fixture
def valid(db):
    from tribuna.antispam.models import ApiKey

    key = ApiKey.objects.create(key="payload-key-0123456789", site="https://blog.example.org")
    return {
        "api_key": key.key,
        "blog": "https://blog.example.org",
        "user_ip": "198.51.100.7",
        "user_agent": "Mozilla/5.0",
        "comment_content": "An ordinary comment.",
        "comment_author": "Reader",
    }


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("field", FIELDS)
def test_every_field_of_every_route(client, valid, route, field):
    answers = []
    for payload in TEXT_PAYLOADS:
        response = client.post(route, {**valid, field: payload})
        answers.append((payload, response.status_code, response.content.decode(errors="replace")))
    assert problems(answers) == []


@pytest.mark.parametrize("route", ROUTES)
def test_a_key_in_the_query_string_of_every_route(client, valid, route):
    answers = []
    for payload in TEXT_PAYLOADS:
        response = client.get(route, {"key": payload, "api_key": payload})
        answers.append((payload, response.status_code, response.content.decode(errors="replace")))
    assert problems(answers) == []
