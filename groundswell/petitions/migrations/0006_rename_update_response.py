"""Clearer model names: an update and a response belong to a petition."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0005_petition_campaign"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Update", "PetitionUpdate"),
        migrations.RenameModel("Response", "PetitionResponse"),
    ]
