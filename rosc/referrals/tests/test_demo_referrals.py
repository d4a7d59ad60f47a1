"""The demo's referrals: every status, under consent, the same from the same seed, and gone
cleanly with `rosc demo --reset`."""

import io

import pytest
from django.core.management import call_command

from rosc.consent.models import Disclosure
from rosc.referrals.models import (
    Notification,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralSource,
    ReferralStatus,
)

pytestmark = pytest.mark.django_db


def _demo(*args: str) -> None:
    call_command("demo", *args, stdout=io.StringIO())


def _what_was_built() -> list[tuple[str, str, str, str]]:
    return sorted(
        Referral.objects.filter(kind=ReferralKind.STANDARD, source=ReferralSource.APP).values_list(
            "participant__legal_last_name", "recipient_organization__slug", "need", "status"
        )
    )


def test_the_demo_has_referrals_in_every_status_each_under_a_consent_and_reset_rebuilds_them():
    _demo("--seed", "41")
    ours = Referral.objects.filter(kind=ReferralKind.STANDARD, source=ReferralSource.APP)
    assert set(ours.values_list("status", flat=True)) == set(ReferralStatus.values)
    for referral in ours.exclude(status=ReferralStatus.DRAFT).select_related("consent"):
        assert referral.consent is not None
        assert referral.consent.recipient_organization_id == referral.recipient_organization_id
        assert referral.shared["identity_and_contact"]["name"]
        assert referral.sent_at is not None
    assert ReferralEvent.objects.filter(kind="note").exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()
    # No append-only Disclosure rows, which a reset could not remove on PostgreSQL.
    assert not Disclosure.objects.filter(consent__referrals__in=ours).exists()
    first = _what_was_built()

    _demo("--reset", "--seed", "41")
    assert _what_was_built() == first
