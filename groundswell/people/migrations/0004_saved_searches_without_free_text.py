"""Saved searches no longer keep free text (a name or email address typed in): it would
outlive the erasure of the person it named. Existing ones lose it."""

from django.db import migrations


def drop_free_text(apps, schema_editor):
    PersonList = apps.get_model("people", "PersonList")
    for saved in PersonList.objects.filter(kind="saved"):
        if "q" in saved.query:
            saved.query = {k: v for k, v in saved.query.items() if k != "q"}
            saved.save(update_fields=["query"])


class Migration(migrations.Migration):
    dependencies = [("people", "0003_people_search")]

    operations = [migrations.RunPython(drop_free_text, migrations.RunPython.noop)]
