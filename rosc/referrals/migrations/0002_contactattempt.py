# Written by hand (the referrals app's owner runs makemigrations): the contact-me form's
# rate-limit table. Matches `ContactAttempt` in rosc/referrals/models.py.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_token"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactAttempt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ip_hash", models.CharField(max_length=64)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["ip_hash", "at"], name="contact_attempt_ip_at"),
                    models.Index(fields=["organization", "at"], name="contact_attempt_org_at"),
                    models.Index(fields=["at"], name="contact_attempt_at"),
                ],
            },
        ),
    ]
