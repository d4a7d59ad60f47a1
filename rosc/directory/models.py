"""The Open Referral HSDS 3.0 core tables. Organization is in accounts: one organization, one row.

Conventions, so that import and export can map columns mechanically (see rosc/directory/hsds.py):

- Every record's HSDS `id` is its `public_id` (a UUID, unique): import upserts by it.
- Every other column has its HSDS name. A reference such as `service_id` is a ForeignKey named
  `service` pointing at the parent's `public_id`, so its database column holds the HSDS id.
- Optional text is stored as "" when absent; HSDS `number` columns are floats, `date`, `time`
  and `datetime` columns are the matching Django fields.
"""

from django.db import models

from rosc.core.models import BaseModel

ORG = "accounts.Organization"


def _text(*, required: bool = False) -> models.TextField:
    return models.TextField() if required else models.TextField(blank=True, default="")


def _number() -> models.FloatField:
    return models.FloatField(null=True, blank=True)


def _date() -> models.DateField:
    return models.DateField(null=True, blank=True)


def _parent(to: str, *, required: bool = False, related_name: str = "+") -> models.ForeignKey:
    """A reference to another HSDS record by its HSDS id."""
    return models.ForeignKey(
        to,
        to_field="public_id",
        on_delete=models.CASCADE,
        null=not required,
        blank=not required,
        related_name=related_name,
    )


class HSDSRecord(BaseModel):
    class Meta:
        abstract = True
        ordering = ["public_id"]


class Program(HSDSRecord):
    organization = _parent(ORG, required=True, related_name="programs")
    name = _text(required=True)
    alternate_name = _text()
    description = _text()

    def __str__(self) -> str:
        return self.name


class Service(HSDSRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    organization = _parent(ORG, required=True, related_name="services")
    program = _parent("directory.Program", related_name="services")
    name = _text(required=True)
    alternate_name = _text()
    description = _text()
    url = _text()
    email = _text()
    status = models.CharField(max_length=20, choices=Status.choices)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text()
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = _number()
    maximum_age = _number()
    assured_date = _date()
    assurer_email = _text()
    licenses = _text()
    alert = _text()
    last_modified = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Location(HSDSRecord):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    url = _text()
    organization = _parent(ORG, related_name="locations")
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = _number()
    longitude = _number()
    external_identifier = _text()
    external_identifier_type = _text()

    class Meta(HSDSRecord.Meta):
        # The bounding-box prefilter of "near a place" searches.
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_lat_lng")]

    def __str__(self) -> str:
        return self.name or str(self.public_id)


class ServiceAtLocation(HSDSRecord):
    service = _parent("directory.Service", required=True, related_name="service_at_locations")
    location = _parent("directory.Location", required=True, related_name="service_at_locations")
    description = _text()

    class Meta(HSDSRecord.Meta):
        verbose_name = "service at location"
        verbose_name_plural = "services at locations"


class Contact(HSDSRecord):
    organization = _parent(ORG)
    service = _parent("directory.Service", related_name="contacts")
    service_at_location = _parent("directory.ServiceAtLocation")
    location = _parent("directory.Location")
    name = _text()
    title = _text()
    department = _text()
    email = _text()


class Phone(HSDSRecord):
    location = _parent("directory.Location", related_name="phones")
    service = _parent("directory.Service", related_name="phones")
    organization = _parent(ORG)
    contact = _parent("directory.Contact")
    service_at_location = _parent("directory.ServiceAtLocation")
    number = _text(required=True)
    extension = _number()
    type = _text()
    description = _text()


class Address(HSDSRecord):
    location = _parent("directory.Location", related_name="addresses")
    attention = _text()
    address_1 = _text(required=True)
    address_2 = _text()
    city = _text(required=True)
    region = _text()
    state_province = _text(required=True)
    postal_code = _text(required=True)
    country = _text(required=True)
    address_type = models.CharField(max_length=10, choices=Location.LocationType.choices)


class Schedule(HSDSRecord):
    """When a service is available: the iCalendar-style recurrence of HSDS 3.0."""

    class Weekday(models.TextChoices):
        MO = "MO", "Monday"
        TU = "TU", "Tuesday"
        WE = "WE", "Wednesday"
        TH = "TH", "Thursday"
        FR = "FR", "Friday"
        SA = "SA", "Saturday"
        SU = "SU", "Sunday"

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    service = _parent("directory.Service", related_name="schedules")
    location = _parent("directory.Location", related_name="schedules")
    service_at_location = _parent("directory.ServiceAtLocation", related_name="schedules")
    valid_from = _date()
    valid_to = _date()
    dtstart = _date()
    timezone = _number()  # HSDS 3.0: the UTC offset as a number
    until = _date()
    count = _number()
    wkst = models.CharField(max_length=2, choices=Weekday.choices, blank=True, default="")
    freq = models.CharField(max_length=7, choices=Freq.choices, blank=True, default="")
    interval = _number()
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = _text()
    attending_type = _text()
    notes = _text()


class Funding(HSDSRecord):
    organization = _parent(ORG)
    service = _parent("directory.Service", related_name="funding")
    source = _text()


class ServiceArea(HSDSRecord):
    service = _parent("directory.Service", related_name="service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = _text()
    uri = _text()


class RequiredDocument(HSDSRecord):
    service = _parent("directory.Service", related_name="required_documents")
    document = _text()
    uri = _text()


class Language(HSDSRecord):
    service = _parent("directory.Service", related_name="languages")
    location = _parent("directory.Location", related_name="languages")
    phone = _parent("directory.Phone", related_name="languages")
    name = _text()
    code = _text()
    note = _text()


class Accessibility(HSDSRecord):
    location = _parent("directory.Location", related_name="accessibility")
    description = _text()
    details = _text()
    url = _text()

    class Meta(HSDSRecord.Meta):
        verbose_name_plural = "accessibility"


class CostOption(HSDSRecord):
    service = _parent("directory.Service", required=True, related_name="cost_options")
    valid_from = _date()
    valid_to = _date()
    option = _text()
    currency = _text()
    amount = _number()
    amount_description = _text()


class OrganizationIdentifier(HSDSRecord):
    organization = _parent(ORG, required=True, related_name="organization_identifiers")
    identifier_scheme = _text()
    identifier_type = _text(required=True)
    identifier = _text(required=True)


class Taxonomy(HSDSRecord):
    """A vocabulary of terms; several live side by side (ours, 211 LA, Open Eligibility …)."""

    name = _text(required=True)
    description = _text(required=True)
    uri = _text()
    version = _text()

    class Meta(HSDSRecord.Meta):
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HSDSRecord):
    code = _text()
    name = _text(required=True)
    description = _text(required=True)
    parent = _parent("directory.TaxonomyTerm", related_name="children")
    taxonomy = _text()  # HSDS keeps a free-text taxonomy name beside taxonomy_id
    language = _text()
    taxonomy_detail = models.ForeignKey(
        Taxonomy,
        to_field="public_id",
        db_column="taxonomy_id",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="terms",
    )
    term_uri = _text()

    def __str__(self) -> str:
        return self.name


class Attribute(HSDSRecord):
    """A taxonomy term attached to any HSDS record (link_entity names its table)."""

    link_id = models.UUIDField(db_index=True)
    taxonomy_term = _parent("directory.TaxonomyTerm", required=True, related_name="attributes")
    link_type = _text()
    link_entity = models.CharField(max_length=40)
    value = _text()


class Metadata(HSDSRecord):
    """HSDS change history of a record, as supplied by the publisher."""

    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=40)
    last_action_date = models.DateField()
    last_action_type = _text(required=True)
    field_name = _text(required=True)
    previous_value = _text(required=True)
    replacement_value = _text(required=True)
    updated_by = _text(required=True)

    class Meta(HSDSRecord.Meta):
        verbose_name_plural = "metadata"


class MetaTableDescription(HSDSRecord):
    name = _text()
    language = _text()
    character_set = _text()


class DirectoryImport(BaseModel):
    """An HSDS datapackage or JSON file a data steward uploaded, and how its import went.

    The file is kept under settings.VAR_DIR; a background task (rosc.directory.tasks) imports it
    and keeps `rows_done` current so the status page can show progress.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Could not be imported"

    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by_name = models.CharField(max_length=150, blank=True)
    # The uploader's organization when they uploaded (the audit trail's record organization).
    organization = models.ForeignKey(
        ORG, on_delete=models.SET_NULL, null=True, blank=True, related_name="directory_imports"
    )
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)  # relative to settings.VAR_DIR
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # HSDS table -> rows imported
    # Each refused row or warning: {"file", "row", "field", "reason", "warning"}.
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")  # why a failed import read nothing
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"HSDS import of {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    @property
    def errors(self) -> list[dict[str, str]]:
        return [p for p in self.problems if not p.get("warning")]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [p for p in self.problems if p.get("warning")]

    @property
    def total_imported(self) -> int:
        return sum(self.counts.values())


class SearchRow(models.Model):
    """The search index: one row per active service at a location (see search_index.py).

    Derived data only, rebuilt from the records above by `search_index_refresh`; never edited
    by hand. The migration adds the full-text side: an FTS5 table and an R*Tree on SQLite, a
    weighted tsvector with a GIN index and a GiST index on the point on PostgreSQL.
    """

    sal = models.OneToOneField(
        "directory.ServiceAtLocation", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    kind = models.CharField(max_length=30)
    time_zone = models.CharField(max_length=64)
    # "|a|b|" lists, matched with instr()/strpos(): pathways, language codes and names
    # (lower case), and the hex ids of the taxonomy terms the service is tagged with.
    pathways = models.TextField()
    languages = models.TextField()
    terms = models.TextField()
    free = models.BooleanField()
    wheelchair = models.BooleanField()
    # The text searched, heaviest first: the service's names, the organization's names, the
    # service's description, then the need names and the organization's description.
    name = models.TextField()
    org_name = models.TextField()
    description = models.TextField()
    keywords = models.TextField()
    # SQLite only: the place (grid cells) and the needs as tokens of the FTS table, so one
    # full-text query narrows by text, place and need at once (see search_index.py).
    tags = models.TextField()
    # What a result shows (directory/find.html), so a page needs no other table.
    sal_uuid = models.UUIDField()
    service_uuid = models.UUIDField()
    location_uuid = models.UUIDField()
    organization_uuid = models.UUIDField()
    service_name = models.TextField()
    organization_name = models.TextField()
    peer_led_rco = models.BooleanField()
    accepting_new_people = models.BooleanField(null=True)
    address = models.TextField()
    phone = models.TextField()
    need_names = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="searchrow_lat_lng")]

    def __str__(self) -> str:
        return self.name
