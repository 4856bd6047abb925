"""Consent per subscription, and a record of proved ownership.

Subscriptions that already reach their reader (the address confirmed) keep doing so: they
count as confirmed when their address was. Confirming an address has always been the owner
clicking a link mailed to it, so those addresses count as verified from then.
"""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def carry_over_consent(apps, schema_editor):
    Address = apps.get_model("notifications", "Address")
    Subscription = apps.get_model("notifications", "Subscription")
    Address.objects.filter(confirmed_at__isnull=False).update(verified_at=F("confirmed_at"))
    confirmed_at = Address.objects.filter(pk=OuterRef("address_id")).values("confirmed_at")[:1]
    Subscription.objects.filter(address__confirmed_at__isnull=False).update(confirmed_at=Subquery(confirmed_at))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='address',
            name='verified_at',
            field=models.DateTimeField(blank=True, help_text="The owner last proved control of the address (a confirmation or my-data link). Pre-moderation counts an address's history only then; cleared by erasure.", null=True),
        ),
        migrations.AddField(
            model_name='subscription',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, help_text="Nothing is sent about this thread until set: by the address's owner confirming this subscription, or creating it from a device that proved owning the address.", null=True),
        ),
        migrations.RunPython(carry_over_consent, migrations.RunPython.noop),
    ]
