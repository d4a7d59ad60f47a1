"""The credential categories every network starts with; a network adds its own as data."""

from django.db import migrations

CATEGORIES = [
    ("ethics", "Ethics"),
    ("cultural-competency", "Cultural competency"),
    ("recovery-coaching", "Recovery coaching / peer support"),
    ("trauma-informed-care", "Trauma-informed care"),
    ("harm-reduction", "Harm reduction"),
    ("stigma", "Stigma"),
]


def add_categories(apps, schema_editor):
    category = apps.get_model("training", "CredentialCategory")
    for position, (slug, name) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
