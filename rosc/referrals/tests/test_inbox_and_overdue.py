"""Inbox and outbox: newest first, filtered by status, 50 a page, overdue in business days."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rosc.core.models import AuditEvent
from rosc.referrals.models import (
    Referral,
    ReferralKind,
    ReferralSettings,
    ReferralSource,
    ReferralStatus,
)
from rosc.referrals.overdue import (
    Thresholds,
    add_business_days,
    overdue_cutoff,
    overdue_flags,
)
from rosc.referrals.selectors import referral_inbox, referral_outbox
from rosc.referrals.services import referral_create, referral_settings_set

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHICAGO)


FRIDAY = date(2025, 6, 6)
MONDAY = date(2025, 6, 9)
TUESDAY = date(2025, 6, 10)


def _sent(at: datetime, status: str = ReferralStatus.REQUESTED, **fields) -> Referral:
    return Referral(status=status, sent_at=at, **fields)


def test_business_days_skip_the_weekend():
    assert add_business_days(FRIDAY, 1) == MONDAY
    assert add_business_days(FRIDAY, 3) == date(2025, 6, 11)
    assert add_business_days(date(2025, 6, 7), 1) == MONDAY  # Saturday
    assert add_business_days(MONDAY, 1) == TUESDAY


def test_sent_on_friday_it_is_not_overdue_on_monday_but_is_on_tuesday():
    rules = Thresholds(open_days=1, respond_days=3, time_zone="America/Chicago")
    referral = _sent(_at(FRIDAY, 16))
    assert overdue_flags(referral, rules, _at(MONDAY, 17)) == []
    assert overdue_flags(referral, rules, _at(TUESDAY, 8)) == ["Not opened in 1 business day"]
    # Opened, but no answer by the end of the third business day (Wednesday).
    referral.opened_at = _at(MONDAY, 9)
    assert overdue_flags(referral, rules, _at(date(2025, 6, 11), 17)) == []
    assert overdue_flags(referral, rules, _at(date(2025, 6, 12), 8)) == [
        "No reply in 3 business days"
    ]
    # Answered referrals are never overdue.
    referral.status = ReferralStatus.ACCEPTED
    assert overdue_flags(referral, rules, _at(date(2025, 6, 30))) == []


def test_the_overdue_cutoff_is_the_start_of_the_latest_day_still_in_time():
    assert overdue_cutoff(_at(MONDAY, 12), 1, CHICAGO) == _at(FRIDAY, 0)
    assert overdue_cutoff(_at(TUESDAY, 12), 1, CHICAGO) == _at(MONDAY, 0)
    assert overdue_cutoff(_at(TUESDAY, 12), 3, CHICAGO) == _at(date(2025, 6, 5), 0)


def _make(world, recipient_key: str, n: int, **fields) -> list[Referral]:
    sender = world.orgs["rco_a"]
    now = timezone.now()
    return Referral.objects.bulk_create(
        Referral(
            sender_organization=sender,
            recipient_organization=world.orgs[recipient_key],
            need="housing",
            status=fields.get("status", ReferralStatus.REQUESTED),
            sent_at=fields.get("sent_at", now - timedelta(minutes=i)),
            shared={"identity_and_contact": {"name": f"Person {i}"}},
        )
        for i in range(n)
    )


def test_the_inbox_is_newest_first_50_a_page_with_a_next_link_and_no_total(
    world, actor_of, as_persona
):
    _make(world, "provider", 120)
    partner = actor_of("provider_staff")
    first = referral_inbox(actor=partner)
    assert len(first.rows) == 50 and first.has_next
    names = [r.referral.person_label for r in first.rows]
    assert names[:3] == ["Person 0", "Person 1", "Person 2"]
    third = referral_inbox(actor=partner, page=3)
    assert len(third.rows) == 20 and not third.has_next
    page = as_persona("provider_staff").get(reverse("referrals:inbox") + "?page=2")
    assert "Older →" in page.content.decode() and "← Newer" in page.content.decode()
    assert AuditEvent.objects.filter(
        username="provider_staff", action="list", record_type="referrals.referral_list"
    ).exists()


def test_the_inbox_filters_by_status_open_closed_and_each_one(world, actor_of):
    _make(world, "provider", 2, status=ReferralStatus.REQUESTED)
    _make(world, "provider", 3, status=ReferralStatus.COMPLETED)
    _make(world, "provider", 1, status=ReferralStatus.ON_HOLD)
    _make(world, "provider", 4, status=ReferralStatus.DRAFT, sent_at=None)
    partner = actor_of("provider_staff")
    count = {s: len(referral_inbox(actor=partner, status=s).rows) for s in ("open", "closed")}
    assert count == {"open": 3, "closed": 3}
    assert len(referral_inbox(actor=partner, status="all").rows) == 6  # never the drafts
    assert len(referral_inbox(actor=partner, status="on-hold").rows) == 1
    assert referral_inbox(actor=partner, status="nonsense").status == "open"


def test_the_overdue_only_filter_uses_the_recipients_business_day_rules(world, actor_of):
    now = timezone.now()
    fresh = _make(world, "provider", 1, sent_at=now - timedelta(hours=1))[0]
    stale = _make(world, "provider", 1, sent_at=now - timedelta(days=10))[0]
    _make(world, "provider", 1, status=ReferralStatus.ACCEPTED, sent_at=now - timedelta(days=10))
    partner = actor_of("provider_staff")
    overdue = referral_inbox(actor=partner, overdue_only=True)
    assert [r.referral.pk for r in overdue.rows] == [stale.pk]
    assert overdue.rows[0].flags == [
        "Not opened in 1 business day",
        "No reply in 3 business days",
    ]
    # Given thirty business days, nothing sent ten days ago is late.
    referral_settings_set(
        actor=actor_of("provider_admin"),
        open_within_business_days=30,
        respond_within_business_days=30,
    )
    assert referral_inbox(actor=partner, overdue_only=True).rows == []
    assert fresh.pk not in [r.referral.pk for r in referral_inbox(actor=partner).rows if r.flags]
    # The sender's outbox follows the recipient's rules too.
    assert referral_outbox(actor=actor_of("rco_a_peer"), overdue_only=True).rows == []


def test_the_inbox_stays_a_few_indexed_queries_whatever_the_page_holds(
    world, actor_of, django_assert_max_num_queries
):
    _make(world, "provider", 60)
    partner = actor_of("provider_staff")
    with django_assert_max_num_queries(4):  # settings, the page, the audit event (+ savepoint)
        referral_inbox(actor=partner)
    with django_assert_max_num_queries(4):
        referral_inbox(actor=partner, overdue_only=True)
    with CaptureQueriesContext(connection) as seen:
        referral_inbox(actor=partner, status="open")
    page_sql = next(q["sql"] for q in seen if 'FROM "referrals_referral"' in q["sql"])
    assert "COUNT(" not in page_sql.upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM referrals_referral "
                "WHERE recipient_organization_id = %s AND status = 'requested' "
                "ORDER BY sent_at DESC LIMIT 51",
                [world.orgs["provider"].pk],
            )
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "referral_inbox" in plan


def test_the_outbox_lists_what_was_sent_with_each_recipients_flags_and_the_drafts_apart(
    world, actor_of, enrol, consent_to
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to("rco_a_peer", maria, "provider_staff")
    peer = actor_of("rco_a_peer")
    sent = referral_create(
        actor=peer,
        participant=maria,
        recipient_organization=world.org_of("provider_staff"),
        need="housing",
    )
    draft = referral_create(
        actor=peer,
        participant=maria,
        recipient_organization=world.org_of("court_partner"),
        need="legal",
        send=False,
    )
    outbox = referral_outbox(actor=peer)
    assert [r.referral.pk for r in outbox.rows] == [sent.pk]
    assert [d.pk for d in outbox.drafts] == [draft.pk]
    # Sent a week ago and never opened: flagged by the recipient's default rules.
    Referral.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - timedelta(days=8))
    overdue = referral_outbox(actor=peer, overdue_only=True)
    assert [r.referral.pk for r in overdue.rows] == [sent.pk]
    assert "Not opened in 1 business day" in overdue.rows[0].flags


def test_a_self_referral_without_a_sender_appears_in_the_inbox(world, actor_of, as_persona):
    Referral.objects.create(
        kind=ReferralKind.SELF_REFERRAL,
        source=ReferralSource.CONTACT_FORM,
        recipient_organization=world.orgs["provider"],
        need="housing",
        status=ReferralStatus.REQUESTED,
        sent_at=timezone.now(),
        shared={"identity_and_contact": {"name": "Sam Okafor", "phone": "555-0111"}},
    )
    rows = referral_inbox(actor=actor_of("provider_staff")).rows
    assert [r.referral.person_label for r in rows] == ["Sam Okafor"]
    client = as_persona("provider_staff")
    page = client.get(reverse("referrals:inbox")).content.decode()
    assert "Housing: Sam Okafor" in page
    assert "From the person themself" in page
    referral = rows[0].referral
    detail = client.get(reverse("referrals:detail", args=[referral.public_id]))
    assert detail.status_code == 200
    assert "555-0111" in detail.content.decode()
    referral.refresh_from_db()
    assert referral.opened_at is not None
    # Nobody sent it, so nobody else can see it.
    assert referral_outbox(actor=actor_of("rco_a_peer")).rows == []


def test_only_an_organization_admin_sets_the_overdue_rules_and_each_change_is_audited(
    world, as_persona
):
    org = world.orgs["provider"]
    url = reverse("referrals:settings", args=[org.public_id])
    assert as_persona("provider_staff").get(url).status_code == 404
    admin = as_persona("provider_admin")
    assert admin.get(url).status_code == 200
    refused = admin.post(
        url, {"open_within_business_days": "0", "respond_within_business_days": "31"}
    )
    assert refused.status_code == 200
    assert "from 1 to 30" in refused.content.decode()
    assert not ReferralSettings.objects.exists()
    shorter = admin.post(
        url, {"open_within_business_days": "5", "respond_within_business_days": "2"}
    )
    assert "at least as long" in shorter.content.decode()
    saved = admin.post(url, {"open_within_business_days": "2", "respond_within_business_days": "5"})
    assert saved.status_code == 302
    row = ReferralSettings.objects.get(organization=org)
    assert (row.open_within_business_days, row.respond_within_business_days) == (2, 5)
    event = AuditEvent.objects.filter(
        username="provider_admin", record_type="referrals.referralsettings", action="update"
    ).get()
    assert event.detail["open_within_business_days"] == [1, 2]
    # Another organization's settings page is a 404 like any other.
    other = reverse("referrals:settings", args=[world.orgs["rco_a"].public_id])
    assert admin.get(other).status_code == 404


def test_the_inbox_page_costs_the_same_few_queries_for_ten_referrals_or_a_hundred(
    world, as_persona
):
    client = as_persona("provider_staff")
    client.get(reverse("referrals:inbox"))  # the session and the second factor settle
    counts = []
    for n in (10, 90):
        _make(world, "provider", n)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(reverse("referrals:inbox")).status_code == 200
        counts.append(len(seen))
        pages = [q for q in seen if 'FROM "referrals_referral"' in q["sql"]]
        assert len(pages) == 1
    assert counts[0] == counts[1]
    assert counts[1] <= 15, counts
