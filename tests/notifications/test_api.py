"""POST /api/v1/subscriptions: same answer for every address, limits with clear errors."""

from __future__ import annotations

import pytest

from tribuna.notifications.models import Event, Subscription

pytestmark = pytest.mark.django_db


def subscribe(api, thread, email="ada@example.org", mode="all", **extra):
    return api.post_json(
        "/api/v1/subscriptions", {"thread": thread.key, "email": email, "mode": mode}, **extra
    )


def test_known_and_unknown_addresses_get_the_same_answer(api, thread, confirmed):
    confirmed("known@example.org")
    unknown = subscribe(api, thread, "unknown@example.org")
    known = subscribe(api, thread, "known@example.org")
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    assert [e.email for e in Event.objects.filter(kind=Event.Kind.CONFIRMATION)] == ["unknown@example.org"]


def test_an_address_gets_one_confirmation_per_window(api, thread, settings):
    assert subscribe(api, thread, mode="replies").status_code == 202
    assert subscribe(api, thread, mode="all").status_code == 202
    assert Event.objects.filter(kind=Event.Kind.CONFIRMATION).count() == 1
    assert Subscription.objects.get().mode == "all", "a wider choice is kept"


def test_a_client_that_asks_too_often_is_told_when_to_come_back(api, thread, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_CONFIRM_PER_IP = 2
    for n in range(2):
        assert subscribe(api, thread, f"reader{n}@example.org").status_code == 202
    response = subscribe(api, thread, "reader9@example.org")
    assert response.status_code == 429
    assert "Too many subscription requests" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"mode": "everything"}, "mode", "all, replies"),
        ({"email": ""}, "email", "Enter your email"),
    ],
)
def test_bad_input_gets_precise_errors(api, thread, payload, field, message):
    data = {"thread": thread.key, "email": "ada@example.org", "mode": "all", **payload}
    response = api.post_json("/api/v1/subscriptions", data)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])


def test_an_unknown_thread_is_404(api, db):
    response = api.post_json("/api/v1/subscriptions", {"thread": "nope", "email": "a@example.org"})
    assert response.status_code == 404


def test_a_write_without_the_api_header_is_refused(client, thread):
    response = client.post(
        "/api/v1/subscriptions",
        {"thread": thread.key, "email": "a@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()
