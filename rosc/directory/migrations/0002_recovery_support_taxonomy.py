from django.db import migrations


def load(apps, schema_editor):
    from rosc.directory.services import load_recovery_support

    load_recovery_support(
        apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm")
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
