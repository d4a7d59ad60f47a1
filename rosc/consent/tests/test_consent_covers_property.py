"""consent_covers() agrees with a plain reading of the rule over random consents and questions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rosc.consent.models import Category, Consent, Purpose
from rosc.consent.services import consent_covers, consent_record
from rosc.consent.tests.conftest import consent_fields

RECIPIENTS = ["provider", "court", "rco_b"]
QUESTION_RECIPIENTS = [*RECIPIENTS, "council_host"]
PURPOSES = [p for p in Purpose.values if p != Purpose.OTHER]
CATEGORIES = list(Category.values)


@dataclass
class Spec:
    recipient: str | None  # None: a described class of recipients
    purpose: str
    categories: list[str]
    signed_days_ago: int
    expires_in_days: int | None  # None: ends on an event not yet happened
    revoked_after_days: int | None


specs = st.builds(
    Spec,
    recipient=st.sampled_from([*RECIPIENTS, None]),
    purpose=st.sampled_from(PURPOSES),
    categories=st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True),
    signed_days_ago=st.integers(0, 60),
    expires_in_days=st.none() | st.integers(0, 90),
    revoked_after_days=st.none() | st.integers(0, 90),
)
questions = st.tuples(
    st.sampled_from(QUESTION_RECIPIENTS),
    st.sampled_from(PURPOSES),
    st.sampled_from(CATEGORIES),
    st.integers(-70 * 24, 100 * 24),  # hours from now
)


def reference(
    spec: Spec,
    *,
    signed_at: datetime,
    revoked_at: datetime | None,
    expires_on: date | None,
    zone: ZoneInfo,
    recipient: str,
    purpose: str,
    category: str,
    at: datetime,
) -> bool:
    """The rule as one would say it aloud."""
    return (
        spec.recipient == recipient
        and spec.purpose == purpose
        and category in spec.categories
        and signed_at <= at
        and (revoked_at is None or at < revoked_at)
        and (expires_on is None or at.astimezone(zone).date() <= expires_on)
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    consents=st.lists(specs, min_size=0, max_size=4),
    asked=st.lists(questions, min_size=1, max_size=8),
)
def test_consent_covers_agrees_with_the_rule_read_plainly(world, person, actor_of, consents, asked):
    zone = ZoneInfo(world.orgs["rco_a"].time_zone)
    with transaction.atomic():
        now = timezone.now()
        today = timezone.localdate(now)
        made = []
        for spec in consents:
            signed_at = now - timedelta(days=spec.signed_days_ago)
            expires_on = (
                today + timedelta(days=spec.expires_in_days)
                if spec.expires_in_days is not None
                else None
            )
            recipient_kwargs = (
                {"recipient_organization": world.orgs[spec.recipient]}
                if spec.recipient
                else {"recipient_class": "People helping with my recovery"}
            )
            consent = consent_record(
                actor=actor_of("rco_a_peer"),
                participant=person,
                **consent_fields(
                    purpose=spec.purpose,
                    categories=spec.categories,
                    signed_at=signed_at,
                    expires_on=expires_on,
                    expiry_event="" if expires_on else "When I leave the program",
                    **recipient_kwargs,
                ),
            )
            revoked_at = None
            if spec.revoked_after_days is not None:
                revoked_at = signed_at + timedelta(days=spec.revoked_after_days)
                Consent.objects.filter(pk=consent.pk).update(revoked_at=revoked_at)
            made.append((spec, consent.pk, signed_at, revoked_at, expires_on))

        for recipient, purpose, category, hours in asked:
            at = now + timedelta(hours=hours)
            matching = {
                pk
                for spec, pk, signed_at, revoked_at, expires_on in made
                if reference(
                    spec,
                    signed_at=signed_at,
                    revoked_at=revoked_at,
                    expires_on=expires_on,
                    zone=zone,
                    recipient=recipient,
                    purpose=purpose,
                    category=category,
                    at=at,
                )
            }
            found = consent_covers(
                participant=person,
                recipient=world.orgs[recipient],
                purpose=purpose,
                category=category,
                at=at,
            )
            if matching:
                assert found is not None and found.pk in matching
                newest = max(s for _, pk, s, _, _ in made if pk in matching)
                assert found.signed_at == newest
            else:
                assert found is None
        transaction.set_rollback(True)
