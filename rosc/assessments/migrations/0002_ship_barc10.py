from django.db import migrations


def ship(apps, schema_editor):
    from rosc.assessments.barc10 import install

    install(apps.get_model("assessments", "Instrument"))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
