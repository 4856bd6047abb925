"""The privacy provider: what notifications keep per address, exported and erased."""

from __future__ import annotations

import pytest

from tribuna.core.personal_data import providers
from tribuna.notifications.models import Address, Delivery, Event, Subscription
from tribuna.notifications.services import subscribe

pytestmark = pytest.mark.django_db


def provider():
    return next(p for p in providers() if p.name == "notifications")


def test_it_exports_the_address_its_subscriptions_and_pending_mail(thread):
    subscribe(thread, "Ada@Example.org", "all")
    event = Event.objects.get()
    Delivery.objects.create(
        event=event, email="ada@example.org", kind="confirmation", next_attempt_at=event.created
    )
    rows = provider().export("ada@example.org")
    assert {row["type"] for row in rows} == {"address", "subscription", "pending email"}
    assert any(row.get("thread") == thread.key for row in rows)


def test_it_erases_everything_kept_for_the_address(thread):
    subscribe(thread, "ada@example.org", "all")
    subscribe(thread, "bob@example.org", "all")
    assert provider().erase("ada@example.org") >= 3
    assert list(Address.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert Subscription.objects.count() == 1
    assert not Event.objects.filter(email="ada@example.org").exists()
