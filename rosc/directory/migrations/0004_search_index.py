"""The full-text search index of the directory (filled in by the search work)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_location_lat_lng_index")]

    operations: list = []
