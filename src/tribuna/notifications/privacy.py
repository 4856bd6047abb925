"""What notifications keep per address, for the privacy app's export and erasure."""

from __future__ import annotations

from tribuna.notifications.models import Address, Delivery, Event, Subscription
from tribuna.notifications.services import normalise_email

PENDING = [Delivery.Status.QUEUED, Delivery.Status.SENDING, Delivery.Status.HANDING]


def export(email: str) -> list[dict]:
    email = normalise_email(email)
    rows: list[dict] = []
    for address in Address.objects.filter(email=email):
        rows.append(
            {
                "type": "address",
                "email": address.email,
                "created": address.created.isoformat(),
                "confirmed": address.confirmed_at.isoformat() if address.confirmed_at else None,
                "unsubscribed": address.unsubscribed_at.isoformat() if address.unsubscribed_at else None,
            }
        )
    for sub in Subscription.objects.filter(address__email=email).select_related("thread"):
        rows.append(
            {
                "type": "subscription",
                "thread": sub.thread.key,
                "mode": sub.mode,
                "created": sub.created.isoformat(),
                "confirmed": sub.confirmed_at.isoformat() if sub.confirmed_at else None,
            }
        )
    for row in Delivery.objects.filter(email=email, status__in=PENDING):
        rows.append(
            {
                "type": "pending email",
                "kind": row.kind,
                "status": row.status,
                "created": row.created.isoformat(),
            }
        )
    return rows


def erase(email: str) -> int:
    """Forget the address, its subscriptions and every email queued or logged for it."""
    email = normalise_email(email)
    removed = Subscription.objects.filter(address__email=email).delete()[0]
    removed += Address.objects.filter(email=email).delete()[0]
    removed += Delivery.objects.filter(email=email).delete()[0]
    removed += Event.objects.filter(kind=Event.Kind.CONFIRMATION, email=email).delete()[0]
    return removed
