"""Admin views of the outbox: failed and in-doubt deliveries are visible here with their error."""

from __future__ import annotations

from django.contrib import admin, messages

from tribuna.notifications import delivery
from tribuna.notifications.models import Address, Delivery, Event, Subscription


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "unsubscribed_at", "confirmation_sent_at", "created"]
    search_fields = ["email"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["address", "thread", "mode", "created", "confirmed_at"]
    list_filter = ["mode"]
    search_fields = ["address__email", "thread__key"]
    raw_id_fields = ["address", "thread"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "comment", "created", "fanned_out_at"]
    list_filter = ["kind"]
    raw_id_fields = ["comment"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "email", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["email"]
    readonly_fields = [
        "event",
        "email",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "claim",
        "claimed_by",
        "lease_until",
        "last_error",
        "created",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.action(description="Send again (failed or unknown outcome only)")
    def send_again(self, request, queryset) -> None:
        count = delivery.send_again(queryset)
        self.message_user(request, f"{count} deliveries queued again.", messages.SUCCESS)
