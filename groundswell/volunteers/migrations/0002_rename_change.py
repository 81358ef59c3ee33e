"""A clearer model name: the volunteer pipeline's history of changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RenameModel("Change", "PipelineChange")]
