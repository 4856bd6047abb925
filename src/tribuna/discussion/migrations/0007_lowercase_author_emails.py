"""Author addresses are matched exactly and lower-case (the address index, erasure, the known-author
check); comments imported before the importer lower-cased them are brought in line."""

from django.db import migrations
from django.db.models.functions import Lower


def lower_case(apps, schema_editor):
    Comment = apps.get_model("discussion", "Comment")
    Comment.objects.exclude(author_email=Lower("author_email")).update(author_email=Lower("author_email"))


class Migration(migrations.Migration):
    dependencies = [("discussion", "0006_comment_kind_and_own_dates")]

    operations = [migrations.RunPython(lower_case, migrations.RunPython.noop)]
