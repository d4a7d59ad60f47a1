"""Reentry: the jail refers before release, the RCO works the plan, 72 hours are watched."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from rosc.accounts.services import PermissionDenied
from rosc.consent.models import Purpose
from rosc.core.models import AuditEvent
from rosc.encounters.services import encounter_log
from rosc.justice.models import ChecklistItem, ContactKind, ReentryPlan
from rosc.justice.reentry import MET, MISSED, NOT_YET, met_status
from rosc.justice.services import (
    reentry_checklist_tick,
    reentry_contact_record,
    reentry_referral_create,
    reentry_release_record,
)
from rosc.justice.tests.factories import consent_to, reentry_referral
from rosc.people.services import participant_enrol
from rosc.referrals.models import Referral, ReferralKind
from rosc.referrals.services import referral_enrol_person, referral_transition

pytestmark = pytest.mark.django_db


def _release(plan, actor, moment):
    """Record the release at `moment` (seconds dropped), as the RCO's clock reads it."""
    zone = ZoneInfo(plan.referral.recipient_organization.time_zone)
    local = moment.astimezone(zone).replace(second=0, microsecond=0)
    return reentry_release_record(
        actor=actor, plan=plan, released_on=local.date(), released_time=local.time()
    )


def test_a_jail_sends_a_reentry_referral_with_its_plan_in_one_transaction(world, jail):
    rco = world.org_of("rco_a_peer")
    plan = reentry_referral(jail, rco)
    referral = plan.referral
    assert referral.kind == ReferralKind.REENTRY
    assert referral.status == "requested"
    assert referral.sender_organization == jail.organization
    assert plan.facility_name == "Fictional County Jail"
    assert referral.shared["identity_and_contact"]["name"] == "Dana Reyes"


def test_a_reentry_referral_without_an_expected_release_date_is_refused_and_nothing_is_sent(
    world, jail
):
    rco = world.org_of("rco_a_peer")
    person = participant_enrol(actor=jail, legal_first_name="Dana", legal_last_name="Reyes")
    consent_to(jail, person, rco, purpose=Purpose.REFERRAL)
    with pytest.raises(ValidationError) as refused:
        reentry_referral_create(
            actor=jail,
            participant=person,
            recipient_organization=rco,
            facility_name="",
            expected_release_on=None,
        )
    assert set(refused.value.message_dict) == {"facility_name", "expected_release_on"}
    assert not Referral.objects.exists()
    assert not ReentryPlan.objects.exists()


def test_a_reentry_referral_without_consent_says_what_is_missing_and_saves_nothing(world, jail):
    rco = world.org_of("rco_a_peer")
    person = participant_enrol(actor=jail, legal_first_name="Dana", legal_last_name="Reyes")
    with pytest.raises(ValidationError) as refused:
        reentry_referral_create(
            actor=jail,
            participant=person,
            recipient_organization=rco,
            facility_name="Fictional County Jail",
            expected_release_on=timezone.localdate() + timedelta(days=3),
        )
    assert "no current, signed consent" in refused.value.message_dict["categories"][0]
    assert not Referral.objects.exists()


def test_only_a_jail_sends_reentry_referrals(world, actor_of, enrol):
    peer = actor_of("rco_a_peer")
    person = enrol("rco_a_peer", "Maria", "Garcia")
    consent_to(peer, person, world.org_of("provider_staff"), purpose=Purpose.REFERRAL)
    with pytest.raises(PermissionDenied):
        reentry_referral_create(
            actor=peer,
            participant=person,
            recipient_organization=world.org_of("provider_staff"),
            facility_name="Somewhere",
            expected_release_on=timezone.localdate() + timedelta(days=3),
        )


def test_met_at_the_gate_within_72_hours_shows_yes(world, jail, actor_of):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    released = timezone.now() - timedelta(days=2)
    plan = _release(plan, jail, released)
    reentry_contact_record(
        actor=rco,
        plan=plan,
        occurred_at=released + timedelta(minutes=30),
        kind=ContactKind.AT_THE_GATE,
    )
    status = met_status(plan, now=timezone.now())
    assert status.state == MET
    assert not status.flagged
    assert status.met_at is not None and status.released_at is not None
    assert status.met_at - status.released_at < timedelta(hours=1)


def test_a_contact_logged_on_the_rcos_own_record_after_release_counts_as_meeting(
    world, jail, actor_of
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    referral = referral_transition(actor=rco, referral=plan.referral, to_status="accepted")
    theirs = referral_enrol_person(actor=rco, referral=referral)
    released = timezone.now() - timedelta(days=1)
    plan.refresh_from_db()
    plan = _release(plan, rco, released)
    encounter_log(
        actor=rco,
        participant=theirs,
        kind="phone",
        duration_minutes=15,
        place="remote",
        occurred_at=released + timedelta(hours=20),
    )
    assert met_status(plan, now=timezone.now()).state == MET


def test_released_ten_hours_ago_without_contact_is_not_yet_with_62_hours_left(
    world, jail, actor_of
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    plan = _release(plan, jail, timezone.now() - timedelta(hours=10))
    # A pre-release visit does not count as meeting the person after release.
    reentry_contact_record(
        actor=rco,
        plan=plan,
        occurred_at=timezone.now() - timedelta(days=3),
        kind=ContactKind.IN_REACH,
    )
    status = met_status(plan, now=timezone.now())
    assert status.state == NOT_YET
    assert status.hours_left == 62
    assert not status.flagged


def test_no_meeting_within_72_hours_is_flagged_even_when_a_letter_went_and_a_late_visit_followed(
    world, jail, actor_of
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    released = timezone.now() - timedelta(days=5)
    plan = _release(plan, jail, released)
    reentry_contact_record(
        actor=rco, plan=plan, occurred_at=released + timedelta(hours=5), kind=ContactKind.LETTER
    )
    late = released + timedelta(days=4)
    reentry_contact_record(actor=rco, plan=plan, occurred_at=late, kind=ContactKind.IN_PERSON)
    status = met_status(plan, now=timezone.now())
    assert status.state == MISSED
    assert status.flagged
    assert status.met_at == late


def test_a_release_day_without_a_time_counts_from_the_start_of_that_day_in_the_rcos_time_zone(
    world, jail, actor_of
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    day = timezone.localdate() - timedelta(days=3)
    plan = reentry_release_record(actor=rco, plan=plan, released_on=day)
    zone = ZoneInfo(rco.organization.time_zone)
    status = met_status(plan, now=timezone.now())
    assert status.released_at == datetime.combine(day, datetime.min.time(), tzinfo=zone)
    assert status.state == MISSED


def test_a_release_cannot_be_recorded_ahead_of_time(world, jail):
    plan = reentry_referral(jail, world.org_of("rco_a_peer"))
    with pytest.raises(ValidationError) as refused:
        reentry_release_record(
            actor=jail, plan=plan, released_on=timezone.localdate() + timedelta(days=1)
        )
    assert "released_on" in refused.value.message_dict


def test_the_rco_ticks_the_checklist_with_date_who_and_note_and_the_jail_cannot(
    world, jail, actor_of
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    tick = reentry_checklist_tick(
        actor=rco, plan=plan, item=ChecklistItem.NALOXONE, note="Kit and training at the gate"
    )
    assert tick is not None
    assert (tick.done_on, tick.done_by) == (timezone.localdate(), world.users["rco_a_peer"])
    with pytest.raises(PermissionDenied):
        reentry_checklist_tick(actor=jail, plan=plan, item=ChecklistItem.ID)
    assert (
        reentry_checklist_tick(actor=rco, plan=plan, item=ChecklistItem.NALOXONE, done=False)
        is None
    )
    assert not plan.ticks.exists()


def test_recording_the_release_is_audited_and_tells_the_other_side(world, jail, actor_of):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    _release(plan, jail, timezone.now() - timedelta(hours=2))
    event = AuditEvent.objects.filter(
        record_type="justice.reentryplan", action=AuditEvent.Action.UPDATE
    ).get()
    assert event.username == "jail_partner"
    assert world.users["rco_a_peer"].notifications.filter(message__contains="release recorded")


def test_the_jail_sees_whether_contact_happened_but_never_the_rcos_notes(
    world, jail, actor_of, as_persona
):
    rco = actor_of("rco_a_peer")
    plan = reentry_referral(jail, rco.organization)
    released = timezone.now() - timedelta(days=1)
    plan = _release(plan, rco, released)
    reentry_contact_record(
        actor=rco,
        plan=plan,
        occurred_at=released + timedelta(hours=1),
        kind=ContactKind.AT_THE_GATE,
        note="Talked about the shelter bed on Elm Street",
    )
    reentry_checklist_tick(
        actor=rco, plan=plan, item=ChecklistItem.HOUSING, note="Bed held at the Elm shelter"
    )
    url = f"/reentry/{plan.referral.public_id}/"
    theirs = sign_in(Client(), world, "jail_partner").get(url)
    assert theirs.status_code == 200
    page = theirs.content.decode()
    assert "Met within 72 hours of release: yes" in page
    assert "Elm" not in page
    assert "Reentry checklist" not in page
    ours = as_persona("rco_a_peer").get(url).content.decode()
    assert "Talked about the shelter bed on Elm Street" in ours
    assert "Bed held at the Elm shelter" in ours


def test_the_rcos_list_filters_to_those_not_met_within_72_hours(world, jail, actor_of, as_persona):
    rco = actor_of("rco_a_peer")
    met = reentry_referral(jail, rco.organization, first="Ari", last="Met")
    missed = reentry_referral(jail, rco.organization, first="Bo", last="Missed")
    released = timezone.now() - timedelta(days=4)
    met = _release(met, jail, released)
    missed = _release(missed, jail, released)
    reentry_contact_record(
        actor=rco, plan=met, occurred_at=released + timedelta(hours=3), kind=ContactKind.PHONE
    )
    client = as_persona("rco_a_peer")
    everyone = client.get("/reentry/").content.decode()
    assert "Ari Met" in everyone and "Bo Missed" in everyone
    flagged = client.get("/reentry/?show=not_met").content.decode()
    assert "Bo Missed" in flagged
    assert "Ari Met" not in flagged
    assert "no — flagged" in flagged


def test_the_jail_coordinator_sends_a_reentry_referral_from_the_form(world, jail, as_persona):
    rco = world.org_of("rco_a_peer")
    person = participant_enrol(actor=jail, legal_first_name="Dana", legal_last_name="Reyes")
    client = sign_in(Client(), world, "jail_partner")
    url = f"/participants/{person.public_id}/reentry/new/"
    form = {
        "recipient_organization": str(rco.public_id),
        "facility_name": "Fictional County Jail",
        "expected_release_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "need": "recovery_wellness",
        "urgency": "soon",
        "categories": ["identity_and_contact"],
        "purpose": "referral",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "no current, signed consent" in refused.content.decode()
    assert not Referral.objects.exists()

    consent_to(jail, person, rco, purpose=Purpose.REFERRAL)
    sent = client.post(url, form)
    plan = ReentryPlan.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"/reentry/{plan.referral.public_id}/"
    missing_date = client.post(url, {**form, "expected_release_on": ""})
    assert "Give the expected release date." in missing_date.content.decode()
    assert ReentryPlan.objects.count() == 1


def test_an_rco_sees_a_notice_instead_of_the_reentry_form(as_persona, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    page = as_persona("rco_a_peer").get(f"/participants/{person.public_id}/reentry/new/")
    assert page.status_code == 200
    assert "Reentry referrals are sent by a jail" in page.content.decode()
    assert b'<form method="post" class="stacked"' not in page.content


def test_the_rco_ticks_an_item_from_the_page_and_a_future_date_is_refused_next_to_it(
    world, jail, as_persona
):
    plan = reentry_referral(jail, world.org_of("rco_a_peer"))
    client = as_persona("rco_a_peer")
    url = f"/reentry/{plan.referral.public_id}/checklist/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.post(url, {"item": "housing", "done": "1", "housing-done_on": tomorrow})
    assert refused.status_code == 200
    assert "Done on: The date cannot be in the future." in refused.content.decode()
    assert not plan.ticks.exists()
    ticked = client.post(
        url, {"item": "housing", "done": "1", "housing-note": "Room at the Elm shelter"}
    )
    assert ticked.status_code == 302
    assert plan.ticks.get().note == "Room at the Elm shelter"
    assert client.post(url, {"item": "housing", "done": "0"}).status_code == 302
    assert not plan.ticks.exists()
    nothing = client.post(url, {"item": "gold-star"})
    assert "Choose an item of the checklist." in nothing.content.decode()
