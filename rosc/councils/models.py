"""ROSC councils and the counties they cover. Rosters and meetings come with the network issue."""

from django.db import models

from rosc.accounts.models import Organization
from rosc.core.models import BaseModel


class County(models.Model):
    """A real US county, by its five-digit FIPS code."""

    fips = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=2)

    class Meta:
        ordering = ["state", "name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name} County, {self.state}"


class Council(BaseModel):
    """A regional ROSC council: a region of counties and the organization that hosts it."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    host = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="councils_hosted")
    counties = models.ManyToManyField(County, related_name="councils")
    time_zone = models.CharField(max_length=64)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
