"""Writes to councils."""

from django.db import transaction
from django.utils.text import slugify

from rosc.accounts.models import Organization
from rosc.councils.models import Council, County


@transaction.atomic
def county_upsert(*, fips: str, name: str, state: str) -> County:
    county, _ = County.objects.update_or_create(fips=fips, defaults={"name": name, "state": state})
    return county


@transaction.atomic
def council_create(
    *,
    name: str,
    host: Organization,
    counties: list[County],
    time_zone: str,
    description: str = "",
) -> Council:
    council = Council.objects.create(
        name=name, slug=slugify(name), host=host, time_zone=time_zone, description=description
    )
    council.counties.set(counties)
    return council
