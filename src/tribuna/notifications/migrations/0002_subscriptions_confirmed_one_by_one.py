"""Consent per subscription.

Subscriptions that already reach their reader (the address confirmed) keep doing so: they
count as confirmed when their address was. Confirming an address has always been its owner
following a link mailed to it, so those addresses are recorded as proved by their owners.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def carry_over_consent(apps, schema_editor):
    Address = apps.get_model("notifications", "Address")
    Subscription = apps.get_model("notifications", "Subscription")
    VerifiedAddress = apps.get_model("discussion", "VerifiedAddress")
    confirmed_at = Address.objects.filter(pk=OuterRef("address_id")).values("confirmed_at")[:1]
    Subscription.objects.filter(address__confirmed_at__isnull=False).update(
        confirmed_at=Subquery(confirmed_at)
    )
    VerifiedAddress.objects.bulk_create(
        [
            VerifiedAddress(email=email, verified_at=at)
            for email, at in Address.objects.filter(confirmed_at__isnull=False).values_list(
                "email", "confirmed_at"
            )
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("discussion", "0004_verified_addresses"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="confirmed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Nothing is sent about this thread until set: by the address's owner confirming this subscription, or creating it from a device that proved owning the address.",
                null=True,
            ),
        ),
        migrations.RunPython(carry_over_consent, migrations.RunPython.noop),
    ]
