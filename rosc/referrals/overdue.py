"""Overdue referrals, counted in business days (Monday to Friday) in the recipient's time zone.

A step has N business days: a referral sent on day D is overdue once the N-th business day
after D has ended. Sent on a Friday with one business day to open it: due by the end of Monday,
overdue from Tuesday. Public holidays are not known, so they count as business days.

`overdue_cutoff(now, n, zone)` turns this into one instant: a referral is overdue exactly when
it was sent before the cutoff, so "overdue only" is a range on the (recipient, status, sent_at)
index rather than a computation per row.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from rosc.accounts.models import Organization
from rosc.referrals.models import Referral, ReferralSettings, ReferralStatus

MIN_DAYS = 1
MAX_DAYS = 30
DEFAULT_OPEN_DAYS = 1
DEFAULT_RESPOND_DAYS = 3


def is_business_day(day: date) -> bool:
    return day.weekday() < 5


def add_business_days(day: date, n: int) -> date:
    """The n-th business day after `day` (`day` itself never counts)."""
    while n > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            n -= 1
    return day


def overdue_cutoff(now: datetime, n: int, zone: ZoneInfo) -> datetime:
    """Referrals sent before this instant have had more than n business days (in `zone`).

    The latest sending day still overdue is the largest d with add_business_days(d, n) before
    today; the cutoff is the start of the day after it.
    """
    today = timezone.localtime(now, zone).date()
    day = today - timedelta(days=1)
    while add_business_days(day, n) >= today:
        day -= timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


@dataclass(frozen=True)
class Thresholds:
    """An organization's overdue rules (the defaults when it never set any)."""

    open_days: int = DEFAULT_OPEN_DAYS
    respond_days: int = DEFAULT_RESPOND_DAYS
    time_zone: str = settings.TIME_ZONE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)

    def cutoffs(self, now: datetime) -> tuple[datetime, datetime]:
        """(not opened since before, no reply since before)."""
        return (
            overdue_cutoff(now, self.open_days, self.zone),
            overdue_cutoff(now, self.respond_days, self.zone),
        )


def thresholds_of(organization: Organization, row: ReferralSettings | None = None) -> Thresholds:
    if row is not None:
        return Thresholds(
            open_days=row.open_within_business_days,
            respond_days=row.respond_within_business_days,
            time_zone=organization.time_zone,
        )
    # The two numbers only; one row an organization at most (one-to-one): no ORDER BY.
    days = ReferralSettings.objects.filter(organization=organization).order_by()
    found = next(
        iter(days.values_list("open_within_business_days", "respond_within_business_days")[:1]),
        None,
    )
    if found is None:
        return Thresholds(time_zone=organization.time_zone)
    return Thresholds(open_days=found[0], respond_days=found[1], time_zone=organization.time_zone)


def thresholds_of_recipient(referral: Referral) -> Thresholds:
    """From the recipient organization as selected with its settings (no query when the
    referral was loaded with select_related("recipient_organization__referral_settings"))."""
    org = referral.recipient_organization
    try:
        row: ReferralSettings | None = org.referral_settings
    except ReferralSettings.DoesNotExist:
        row = None
    if row is None:
        return Thresholds(time_zone=org.time_zone)
    return thresholds_of(org, row)


def _days(n: int) -> str:
    return f"{n} business day{'' if n == 1 else 's'}"


class Timing(Protocol):
    """What overdue_flags reads of a referral (a Referral, or a row of the inbox page)."""

    @property
    def status(self) -> str: ...
    @property
    def sent_at(self) -> datetime | None: ...
    @property
    def opened_at(self) -> datetime | None: ...


def overdue_flags(
    referral: Timing,
    thresholds: Thresholds,
    now: datetime,
    *,
    cutoffs: tuple[datetime, datetime] | None = None,
) -> list[str]:
    """What is late about a referral: not opened, or no reply (accept or decline), in time.
    A list passes `cutoffs=thresholds.cutoffs(now)`, worked out once for all its rows."""
    if referral.status != ReferralStatus.REQUESTED or referral.sent_at is None:
        return []
    not_opened_before, no_reply_before = cutoffs or thresholds.cutoffs(now)
    flags = []
    if referral.opened_at is None and referral.sent_at < not_opened_before:
        flags.append(f"Not opened in {_days(thresholds.open_days)}")
    if referral.sent_at < no_reply_before:
        flags.append(f"No reply in {_days(thresholds.respond_days)}")
    return flags
