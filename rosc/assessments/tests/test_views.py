"""The check-in pages through the full request cycle: take one, see the chart, read the answers,
and everyone else's 404 (with a denied event) on every route."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from rosc.assessments.models import Assessment, Occasion
from rosc.assessments.selectors import participant_section
from rosc.assessments.services import instrument_create
from rosc.core.models import AuditEvent

TODAY = timezone.localdate()


def form_answers(value: int, **extra: str) -> dict[str, str]:
    data = {f"item_{i}": str(value) for i in range(1, 11)}
    data.update({"taken_on": TODAY.isoformat(), "occasion": "intake"})
    data.update(extra)
    return data


def events(persona: str, outcome: str = AuditEvent.Outcome.OK):
    return AuditEvent.objects.filter(username=persona, outcome=outcome)


def test_a_peer_takes_a_barc10_and_sees_it_on_the_chart(world, enrol, as_persona):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    peer = as_persona("rco_a_peer")
    url = f"/participants/{person.public_id}/check-ins/new/"

    page = peer.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<fieldset class="likert') == 10
    assert html.count('type="radio" name="item_1"') == 6
    assert "I am making good progress on my recovery journey." in html
    assert "6 · Strongly agree" in html
    assert f'value="{TODAY.isoformat()}"' in html
    assert re.search(r'value="intake"[^>]*checked', html)

    response = peer.post(url, form_answers(5))
    assert response.status_code == 302
    check_in = Assessment.objects.get()
    assert check_in.total == 50
    assert check_in.occasion == Occasion.INTAKE
    history = peer.get(response["Location"])
    html = history.content.decode()
    assert "Check-in recorded: BARC-10 total 50" in html
    assert 'role="img"' in html and "<title id=" in html
    assert "Cut-off 47 (Vilsaint et al. 2017)" in html
    assert "style=" not in html
    assert f"{TODAY:%b} {TODAY.day}, {TODAY.year}: 50" in html

    # The next check-in is suggested as a routine one.
    assert re.search(r'value="routine"[^>]*checked', peer.get(url).content.decode())


def test_a_missing_or_out_of_range_answer_is_shown_by_its_statement_and_nothing_saved(
    world, enrol, as_persona
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    peer = as_persona("rco_a_peer")
    data = form_answers(4, item_2="9")
    del data["item_7"]
    response = peer.post(f"/participants/{person.public_id}/check-ins/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Statement 2: choose one of the answers shown." in html
    assert 'href="#id_item_2_0"' in html
    assert not Assessment.objects.exists()

    data = form_answers(4)
    del data["item_7"]
    response = peer.post(f"/participants/{person.public_id}/check-ins/new/", data)
    html = response.content.decode()
    assert 'id="id_item_7_error"' in html
    assert "Choose an answer for statement 7." in html
    assert 'href="#id_item_7_0"' in html
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("taken_on", "message"),
    [
        ("2025-02-30", "Give a real date"),
        ("yesterday", "Give a real date"),
        ((TODAY + timedelta(days=1)).isoformat(), "cannot be in the future"),
    ],
)
def test_an_invalid_date_is_a_field_error(world, enrol, as_persona, taken_on, message):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=TODAY - timedelta(days=5))
    response = as_persona("rco_a_peer").post(
        f"/participants/{person.public_id}/check-ins/new/", form_answers(4, taken_on=taken_on)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_detail_page_shows_each_answer_and_the_read_is_audited(
    world, enrol, record, as_persona
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    answers = {str(i): v for i, v in enumerate([1, 2, 3, 4, 5, 6, 6, 5, 4, 3], 1)}
    check_in = record("rco_a_peer", person, on=TODAY, answers=answers)
    peer = as_persona("rco_a_supervisor")
    page = peer.get(f"/participants/{person.public_id}/check-ins/{check_in.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "39 (possible 10\u201360)" in html
    assert "1 · Strongly disagree" in html and "3 · Somewhat disagree" in html
    event = events("rco_a_supervisor").get(record_id=str(check_in.public_id))
    assert event.action == AuditEvent.Action.VIEW
    assert event.subject_id == str(person.public_id)


def test_each_read_of_check_ins_is_in_the_audit_trail(world, enrol, record, as_persona):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    record("rco_a_peer", person, on=TODAY)
    peer = as_persona("rco_a_peer")
    listed = events("rco_a_peer").filter(
        record_type="assessments.assessment", action=AuditEvent.Action.LIST
    )
    assert not listed.exists()
    assert peer.get(f"/participants/{person.public_id}/check-ins/").status_code == 200
    assert listed.count() == 1
    assert listed.get().subject_id == str(person.public_id)
    # The person's page is read too, as any participant page is.
    assert (
        events("rco_a_peer")
        .filter(record_type="people.participant", record_id=str(person.public_id))
        .exists()
    )


def test_another_organizations_staff_get_404_and_a_denied_event_on_every_route(
    world, enrol, record, as_persona
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    check_in = record("rco_a_peer", person, on=TODAY)
    base = f"/participants/{person.public_id}/check-ins"
    stranger = as_persona("rco_b_peer")
    for method, path in [
        ("get", f"{base}/"),
        ("get", f"{base}/new/"),
        ("post", f"{base}/new/"),
        ("get", f"{base}/{check_in.public_id}/"),
    ]:
        since = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0]
        response = getattr(stranger, method)(path, form_answers(6) if method == "post" else {})
        assert response.status_code == 404, path
        assert b"Garcia" not in response.content
        assert AuditEvent.objects.filter(
            id__gt=since, username="rco_b_peer", outcome=AuditEvent.Outcome.DENIED
        ).exists(), path
    assert Assessment.objects.count() == 1


def test_another_persons_check_in_is_not_found_under_this_persons_address(
    world, enrol, record, as_persona
):
    maria = enrol("rco_a_peer", "Maria", "Garcia")
    sam = enrol("rco_a_peer", "Sam", "Okafor")
    check_in = record("rco_a_peer", sam, on=TODAY)
    response = as_persona("rco_a_peer").get(
        f"/participants/{maria.public_id}/check-ins/{check_in.public_id}/"
    )
    assert response.status_code == 404
    assert (
        events("rco_a_peer", AuditEvent.Outcome.DENIED)
        .filter(record_id=str(check_in.public_id))
        .exists()
    )


def test_an_organizations_own_instrument_is_not_found_by_anyone_else(
    world, enrol, actor_of, as_persona
):
    theirs = instrument_create(
        actor=actor_of("rco_b_admin"),
        name="Two Questions",
        citation="Invented for tests.",
        items=["One.", "Two."],
        scale=[(1, "No"), (2, "Yes")],
    )
    person = enrol("rco_a_peer", "Maria", "Garcia")
    peer = as_persona("rco_a_peer")
    for value in (theirs.public_id, theirs.code):
        response = peer.get(
            f"/participants/{person.public_id}/check-ins/new/", {"instrument": value}
        )
        assert response.status_code == 404
        assert b"Two Questions" not in response.content
    assert (
        events("rco_a_peer", AuditEvent.Outcome.DENIED)
        .filter(record_type="assessments.instrument")
        .count()
        == 2
    )


def test_an_org_admin_adds_an_instrument_through_the_form_and_a_peer_uses_it(
    world, enrol, as_persona
):
    org = world.orgs["rco_a"].public_id
    admin = as_persona("rco_a_admin")
    assert admin.get(f"/orgs/{org}/instruments/").status_code == 200
    assert admin.get(f"/orgs/{org}/instruments/new/").status_code == 200

    bad = admin.post(
        f"/orgs/{org}/instruments/new/",
        {
            "name": "Hope Scale",
            "citation": "Invented.",
            "items": "I feel hopeful.",
            "scale": "1 No",
        },
    )
    assert "The scale needs at least two different values." in bad.content.decode()

    response = admin.post(
        f"/orgs/{org}/instruments/new/",
        {
            "name": "Hope Scale",
            "code": "HOPE-3",
            "citation": "Invented for tests. Journal of Examples 2021;2:3-4.",
            "items": "I feel hopeful.\n(R) I expect the worst.\nI have plans.",
            "scale": "1 Not at all\n2 A little\n3 A lot",
            "bands": "3-6 Lower\n7-9 Higher",
            "cutoff": "7",
            "cutoff_label": "7 or more: invented",
            "cutoff_source": "Invented 2021",
        },
    )
    assert response.status_code == 302
    listing = admin.get(f"/orgs/{org}/instruments/").content.decode()
    assert "Hope Scale" in listing and "(not validated)" in listing

    person = enrol("rco_a_peer", "Maria", "Garcia")
    peer = as_persona("rco_a_peer")
    url = f"/participants/{person.public_id}/check-ins/new/?instrument=HOPE-3"
    page = peer.get(url).content.decode()
    assert page.count('<fieldset class="likert') == 3
    assert "2 · A little" in page
    response = peer.post(
        url,
        {
            "taken_on": TODAY.isoformat(),
            "occasion": "intake",
            "item_1": "3",
            "item_2": "1",
            "item_3": "2",
        },
    )
    assert response.status_code == 302
    check_in = Assessment.objects.get()
    assert check_in.instrument.code == "HOPE-3"
    assert check_in.total == 3 + 3 + 2  # item 2 is reverse-scored
    history = peer.get(response["Location"]).content.decode()
    assert "Cut-off 7 (Invented 2021)" in history
    detail = peer.get(f"/participants/{person.public_id}/check-ins/{check_in.public_id}/")
    assert "Higher (a convention, not validated)" in detail.content.decode()


def test_only_an_org_admin_opens_the_instrument_and_settings_pages(world, as_persona):
    org = world.orgs["rco_a"].public_id
    peer = as_persona("rco_a_peer")
    for path in ("instruments/", "instruments/new/", "check-in-settings/"):
        assert peer.get(f"/orgs/{org}/{path}").status_code == 404
    other_admin = as_persona("rco_b_admin")
    assert other_admin.get(f"/orgs/{org}/check-in-settings/").status_code == 404


def test_an_org_admin_sets_the_check_in_interval(world, as_persona):
    org = world.orgs["rco_a"].public_id
    admin = as_persona("rco_a_admin")
    page = admin.get(f"/orgs/{org}/check-in-settings/").content.decode()
    assert 'value="90"' in page
    refused = admin.post(f"/orgs/{org}/check-in-settings/", {"checkin_interval_days": "3"})
    assert "Give a number of days from 7 to 730." in refused.content.decode()
    barc = re.search(r'<option value="([0-9a-f-]+)"[^>]*>\s*BARC-10', page)
    assert barc
    response = admin.post(
        f"/orgs/{org}/check-in-settings/",
        {"checkin_interval_days": "60", "checkin_instrument": barc[1]},
    )
    assert response.status_code == 302
    assert 'value="60"' in admin.get(f"/orgs/{org}/check-in-settings/").content.decode()


def test_the_participant_section_shows_the_latest_score_chart_and_next_due_date(
    world, enrol, record, actor_of
):
    person = enrol("rco_a_peer", "Maria", "Garcia", enrolled_on=TODAY - timedelta(days=200))
    record("rco_a_peer", person, on=TODAY - timedelta(days=200), value=3, occasion="intake")
    record("rco_a_peer", person, on=TODAY - timedelta(days=100), value=4)
    actor = actor_of("rco_a_peer")
    context = participant_section(actor=actor, participant=person)
    assert context["checkin_latest"].total == 40
    assert context["checkin_count"] == 2
    assert context["checkin_next_due"] == TODAY - timedelta(days=10)
    assert context["checkin_is_due"]
    html = render_to_string(
        "assessments/_participant_section.html", {**context, "participant": person}
    )
    assert "<h2" in html and "New check-in" in html and 'role="img"' in html
    assert "<strong>40</strong> of 60" in html
    assert "Check-in due since" in html
    assert AuditEvent.objects.filter(
        username="rco_a_peer",
        record_type="assessments.assessment",
        action=AuditEvent.Action.LIST,
        subject_id=str(person.public_id),
    ).exists()


def test_the_participant_section_of_someone_new_asks_for_the_intake_check_in(
    world, enrol, actor_of
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    context = participant_section(actor=actor_of("rco_a_peer"), participant=person)
    html = render_to_string(
        "assessments/_participant_section.html", {**context, "participant": person}
    )
    assert "the intake check-in comes first" in html
    assert context["checkin_chart"] is None
