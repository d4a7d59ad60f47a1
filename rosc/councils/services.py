"""Writes to councils: counties, councils, rosters, meeting schedules and meeting records.

Every write that a person makes takes the actor, checks that they coordinate the council, and
leaves an audit event in the same transaction. Changes a subscribed calendar must see bump the
SEQUENCE of the series (cancellations: its EXDATEs) or of the occurrence (moved and extra dates).
"""

import hashlib
import secrets
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from rosc.accounts.actor import Actor
from rosc.accounts.models import Organization, User
from rosc.accounts.services import PermissionDenied
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import (
    MINUTES_TRANSITIONS,
    ActionItem,
    Council,
    CouncilMember,
    County,
    MeetingSeries,
    MinutesStatus,
    Occurrence,
)
from rosc.councils.places import county_position
from rosc.councils.recurrence import RuleError, first_date, is_rule_date
from rosc.councils.selectors import may_manage

Action = AuditEvent.Action


@transaction.atomic
def county_upsert(*, fips: str, name: str, state: str) -> County:
    position = county_position(name, state)
    defaults: dict[str, Any] = {"name": name, "state": state}
    if position is not None:
        defaults["latitude"], defaults["longitude"] = position
    county, _ = County.objects.update_or_create(fips=fips, defaults=defaults)
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


def _check(actor: Actor, council: Council) -> None:
    if not may_manage(actor, council):
        raise PermissionDenied("Only the council's coordinator may change it.")


def _audit(actor: Actor, action: str, record: Any, council: Council, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        record=record,
        record_organization_id=council.host.public_id,
        detail={k: str(v) for k, v in detail.items()},
    )


# --- roster --------------------------------------------------------------------------------


def _member_check(active_from: date, active_to: date | None) -> None:
    if active_to is not None and active_to < active_from:
        raise ValidationError({"active_to": "The end of membership is before its start."})


@transaction.atomic
def council_member_add(
    *,
    actor: Actor,
    council: Council,
    name: str,
    sector: str,
    council_role: str,
    active_from: date,
    active_to: date | None = None,
    email: str = "",
    user: User | None = None,
    organization: Organization | None = None,
) -> CouncilMember:
    _check(actor, council)
    _member_check(active_from, active_to)
    member = CouncilMember.objects.create(
        council=council,
        name=name,
        sector=sector,
        council_role=council_role,
        active_from=active_from,
        active_to=active_to,
        email=email,
        user=user,
        organization=organization,
    )
    _audit(actor, Action.CREATE, member, council, sector=sector, role=council_role)
    return member


MEMBER_FIELDS = (
    "name",
    "sector",
    "council_role",
    "active_from",
    "active_to",
    "email",
    "user",
    "organization",
)


@transaction.atomic
def council_member_update(*, actor: Actor, member: CouncilMember, **fields: Any) -> CouncilMember:
    council = member.council
    _check(actor, council)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(member, key, value)
    _member_check(member.active_from, member.active_to)
    member.save()
    _audit(actor, Action.UPDATE, member, council, fields=",".join(sorted(fields)))
    return member


@transaction.atomic
def council_member_feed_issue(*, actor: Actor, member: CouncilMember) -> str:
    """A new secret calendar address for the member; the old one stops working. Returns it."""
    _check(actor, member.council)
    token = secrets.token_urlsafe(24)
    member.feed_token_hash = hashlib.sha256(token.encode()).hexdigest()
    member.save(update_fields=["feed_token_hash", "updated_at"])
    _audit(actor, Action.UPDATE, member, member.council, feed="issued")
    return token


@transaction.atomic
def council_member_feed_revoke(*, actor: Actor, member: CouncilMember) -> None:
    _check(actor, member.council)
    member.feed_token_hash = ""
    member.save(update_fields=["feed_token_hash", "updated_at"])
    _audit(actor, Action.UPDATE, member, member.council, feed="revoked")


# --- schedules -----------------------------------------------------------------------------


def _series_check(
    *,
    rrule: str,
    start_date: date,
    start_time: time,
    end_time: time,
    until: date | None,
    count: int | None,
) -> date:
    errors: dict[str, str] = {}
    if end_time <= start_time:
        errors["end_time"] = "The meeting ends before it starts."
    if until is not None and until < start_date:
        errors["until"] = "The last date is before the first."
    if until is not None and count is not None:
        errors["count"] = "Give an end date or a number of meetings, not both."
    if count is not None and count < 1:
        errors["count"] = "Give at least one meeting."
    if errors:
        raise ValidationError(errors)
    try:
        return first_date(rrule, start_date, until=until)
    except RuleError as exc:
        raise ValidationError({"rrule": str(exc)}) from exc


@transaction.atomic
def meeting_series_create(
    *,
    actor: Actor,
    council: Council,
    title: str,
    rrule: str,
    start_date: date,
    start_time: time,
    end_time: time,
    until: date | None = None,
    count: int | None = None,
    address: str = "",
    online_url: str = "",
) -> MeetingSeries:
    _check(actor, council)
    first = _series_check(
        rrule=rrule,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        until=until,
        count=count,
    )
    series = MeetingSeries.objects.create(
        council=council,
        title=title,
        rrule=rrule.strip().upper().removeprefix("RRULE:"),
        first_date=first,
        start_time=start_time,
        end_time=end_time,
        until=until,
        count=count,
        address=address,
        online_url=online_url,
    )
    _audit(actor, Action.CREATE, series, council, rrule=series.rrule, first=first)
    return series


@transaction.atomic
def meeting_series_update(
    *,
    actor: Actor,
    series: MeetingSeries,
    title: str,
    rrule: str,
    start_date: date,
    start_time: time,
    end_time: time,
    until: date | None = None,
    count: int | None = None,
    address: str = "",
    online_url: str = "",
) -> MeetingSeries:
    council = series.council
    _check(actor, council)
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    series.first_date = _series_check(
        rrule=rrule,
        start_date=start_date,
        start_time=start_time,
        end_time=end_time,
        until=until,
        count=count,
    )
    series.title = title
    series.rrule = rrule.strip().upper().removeprefix("RRULE:")
    series.start_time, series.end_time = start_time, end_time
    series.until, series.count = until, count
    series.address, series.online_url = address, online_url
    series.sequence = F("sequence") + 1
    series.save()
    series.refresh_from_db()
    _audit(actor, Action.UPDATE, series, council, rrule=series.rrule)
    return series


def _bump_series(series: MeetingSeries) -> None:
    MeetingSeries.objects.filter(pk=series.pk).update(sequence=F("sequence") + 1)


@transaction.atomic
def occurrence_open(*, actor: Actor, series: MeetingSeries, recurrence_date: date) -> Occurrence:
    """The record of one date of the rule (made the first time it is needed)."""
    _check(actor, series.council)
    existing = series.occurrences.filter(recurrence_date=recurrence_date).first()
    if existing is not None:
        return existing
    if not is_rule_date(series, recurrence_date):
        raise ValidationError({"recurrence_date": "The series has no meeting on that date."})
    occurrence = Occurrence.objects.create(series=series, recurrence_date=recurrence_date)
    _audit(actor, Action.CREATE, occurrence, series.council, date=recurrence_date)
    return occurrence


@transaction.atomic
def occurrence_cancel(
    *, actor: Actor, occurrence: Occurrence, cancelled: bool = True
) -> Occurrence:
    """Cancel one date (an EXDATE, or a cancelled extra event) or restore it."""
    series = occurrence.series
    _check(actor, series.council)
    if occurrence.cancelled == cancelled:
        return occurrence
    occurrence.cancelled = cancelled
    occurrence.sequence += 1
    occurrence.save(update_fields=["cancelled", "sequence", "updated_at"])
    if occurrence.recurrence_date is not None:
        _bump_series(series)  # the EXDATE list of the series' VEVENT changed
    _audit(actor, Action.UPDATE, occurrence, series.council, cancelled=cancelled)
    return occurrence


def _when_check(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"end_time": "The meeting ends before it starts."})


@transaction.atomic
def occurrence_move(
    *,
    actor: Actor,
    occurrence: Occurrence,
    starts_at: datetime,
    ends_at: datetime,
    address: str = "",
    online_url: str = "",
) -> Occurrence:
    """Move one date to another time, day or place (a RECURRENCE-ID event in the feeds)."""
    series = occurrence.series
    _check(actor, series.council)
    _when_check(starts_at, ends_at)
    occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
    occurrence.address, occurrence.online_url = address, online_url
    occurrence.sequence += 1
    occurrence.save()
    _audit(actor, Action.UPDATE, occurrence, series.council, moved_to=starts_at.isoformat())
    return occurrence


@transaction.atomic
def occurrence_add_extra(
    *,
    actor: Actor,
    series: MeetingSeries,
    starts_at: datetime,
    ends_at: datetime,
    address: str = "",
    online_url: str = "",
) -> Occurrence:
    _check(actor, series.council)
    _when_check(starts_at, ends_at)
    occurrence = Occurrence.objects.create(
        series=series, starts_at=starts_at, ends_at=ends_at, address=address, online_url=online_url
    )
    _audit(actor, Action.CREATE, occurrence, series.council, extra=starts_at.isoformat())
    return occurrence


# --- meeting records -----------------------------------------------------------------------


@transaction.atomic
def occurrence_agenda_save(*, actor: Actor, occurrence: Occurrence, agenda: str) -> Occurrence:
    _check(actor, occurrence.series.council)
    occurrence.agenda = agenda
    occurrence.save(update_fields=["agenda", "updated_at"])
    _audit(actor, Action.UPDATE, occurrence, occurrence.series.council, part="agenda")
    return occurrence


@transaction.atomic
def occurrence_attendance_save(
    *, actor: Actor, occurrence: Occurrence, members: list[CouncilMember], guests: str
) -> Occurrence:
    council = occurrence.series.council
    _check(actor, council)
    if any(m.council_id != council.pk for m in members):
        raise ValidationError({"members": "Only members of this council can attend."})
    occurrence.attendees.set(members)
    occurrence.guests = guests
    occurrence.save(update_fields=["guests", "updated_at"])
    _audit(actor, Action.UPDATE, occurrence, council, part="attendance", present=len(members))
    return occurrence


@transaction.atomic
def minutes_save(*, actor: Actor, occurrence: Occurrence, minutes: str) -> Occurrence:
    council = occurrence.series.council
    _check(actor, council)
    if occurrence.minutes_status != MinutesStatus.DRAFTED:
        raise ValidationError(
            {"minutes": "Approved minutes are changed by returning them to draft."}
        )
    occurrence.minutes = minutes
    occurrence.save(update_fields=["minutes", "updated_at"])
    _audit(actor, Action.UPDATE, occurrence, council, part="minutes")
    return occurrence


@transaction.atomic
def minutes_move(*, actor: Actor, occurrence: Occurrence, status: str) -> Occurrence:
    """drafted -> approved -> published (approved may go back to draft; published is final)."""
    council = occurrence.series.council
    _check(actor, council)
    if status not in MINUTES_TRANSITIONS.get(occurrence.minutes_status, ()):
        raise ValidationError(
            {"status": f"Minutes that are {occurrence.minutes_status} cannot become {status}."}
        )
    if status == MinutesStatus.APPROVED and not occurrence.minutes.strip():
        raise ValidationError({"status": "Write the minutes before approving them."})
    before = occurrence.minutes_status
    occurrence.minutes_status = status
    occurrence.save(update_fields=["minutes_status", "updated_at"])
    _audit(actor, Action.UPDATE, occurrence, council, minutes_from=before, minutes_to=status)
    return occurrence


@transaction.atomic
def action_item_add(
    *,
    actor: Actor,
    occurrence: Occurrence,
    text: str,
    owner: CouncilMember | None = None,
    due_on: date | None = None,
) -> ActionItem:
    council = occurrence.series.council
    _check(actor, council)
    if owner is not None and owner.council_id != council.pk:
        raise ValidationError({"owner": "The owner must be on this council's roster."})
    item = ActionItem.objects.create(occurrence=occurrence, text=text, owner=owner, due_on=due_on)
    _audit(actor, Action.CREATE, item, council)
    return item


@transaction.atomic
def action_item_close(*, actor: Actor, item: ActionItem, done_on: date) -> ActionItem:
    council = item.occurrence.series.council
    _check(actor, council)
    item.done_on = done_on
    item.save(update_fields=["done_on", "updated_at"])
    _audit(actor, Action.UPDATE, item, council, done_on=done_on)
    return item
