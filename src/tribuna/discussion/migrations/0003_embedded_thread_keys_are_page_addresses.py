"""Embedded pages' threads move from free-form keys to their page's address.

Before, an embed named its thread with any string (a path, or a slug that a statement could
later take). Now a statement's slug is its thread's key alone and an embedded page's key is
its absolute address, as the widget sends it: origin + path ("/post-7" for a bare "post-7").
The origin comes from the address the thread recorded; threads without one (made by scripts,
not by embeds) keep their key. The reverse migration leaves keys as they are.
"""

from django.db import migrations
from django.db.models import F

from tribuna.lib.pagekeys import MAX_KEY_LENGTH, origin_of, page_key


def new_key(key: str, url: str) -> str | None:
    if page_key(key) is not None:
        return None  # already an address
    recorded = page_key(url)
    if recorded is None:
        return None
    path = key if key.startswith("/") else "/" + key
    return page_key(origin_of(recorded) + path.split("#")[0])


def forwards(apps, schema_editor):
    Thread = apps.get_model("discussion", "Thread")
    for thread in Thread.objects.filter(statement__isnull=True).only("pk", "key", "url").iterator():
        key = new_key(thread.key, thread.url)
        if key is None:
            continue
        if len(key) > MAX_KEY_LENGTH or Thread.objects.filter(key=key).exclude(pk=thread.pk).exists():
            key = f"{key[: MAX_KEY_LENGTH - 30]}#legacy-{thread.pk}"
        Thread.objects.filter(pk=thread.pk).update(key=key, version=F("version") + 1)  # cached pages go stale


class Migration(migrations.Migration):
    dependencies = [("discussion", "0002_comment_language")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
