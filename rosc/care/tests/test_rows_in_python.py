"""The caseload's lists and the person page's contact rows are written in Python (for speed):
the same HTML the templates wrote, every value escaped, and the page's reads audited together."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rosc.care import presenters
from rosc.care.selectors import caseload_for
from rosc.core.audit import audit_batch, audit_record
from rosc.core.models import AuditEvent
from rosc.encounters.models import Encounter
from rosc.encounters.rows import encounter_rows
from rosc.encounters.services import encounter_log
from rosc.people.selectors import participant_get

NASTY = '<script>alert("x")</script> & Co'


def _old_caseload_lists(caseload: object) -> dict[str, str]:
    """The four lists as the template loops wrote them before (kept here to compare)."""
    from django.template import engines

    source = """{% load tz %}{% for item in caseload.followups %}
  <li class="person-row">
    <a class="person-name" href="{% url 'followups:list' item.participant.public_id %}">{{ item.participant.display_name }}</a>
    <span class="person-meta">{{ item.kind_label }} · <span class="status {% if item.state == 'overdue' %}status-off{% else %}status-ok{% endif %}">{{ item.state_label }}</span> · window {{ item.window_opens_on|date:"M j" }} \u2013 {{ item.window_closes_on|date:"M j, Y" }}</span>
  </li>
  {% endfor %}|{% for row in caseload.checkins_due %}
  <li class="person-row">
    <a class="person-name" href="{% url 'care:participant' row.participant.public_id %}">{{ row.participant.display_name }}</a>
    <span class="person-meta">Due {% if row.checkin_due < caseload.on %}since {% endif %}{{ row.checkin_due|date:"M j, Y" }}</span>
  </li>
  {% endfor %}|{% for row in caseload.rows %}
  <li class="person-row">
    <a class="person-name" href="{% url 'care:participant' row.participant.public_id %}">{{ row.participant.display_name }}</a>
    <span class="person-meta">{% if row.last_contact %}Last contact {{ row.last_contact|timezone:row.participant.organization.time_zone|date:"M j, Y" }}{% else %}No contact logged yet{% endif %}{% if row.checkin_due %} · check-in due{% endif %}</span>
    <a class="button button-secondary caseload-log" href="{% url 'encounters:new' row.participant.public_id %}">Log a contact<span class="visually-hidden"> with {{ row.participant.display_name }}</span></a>
  </li>
  {% endfor %}|{% for encounter in caseload.recent %}
  <li class="person-row">
    <a class="person-name" href="{% url 'care:participant' encounter.participant.public_id %}">{{ encounter.participant.display_name }}</a>
    <span class="person-meta">{{ encounter.occurred_at|timezone:encounter.participant.organization.time_zone|date:"M j, P" }} · {{ encounter.get_kind_display }} · {{ encounter.duration_minutes }} min</span>
  </li>
  {% endfor %}"""
    rendered = engines["django"].from_string(source).render({"caseload": caseload})
    keys = ("followups_html", "checkins_html", "people_html", "recent_html")
    return dict(zip(keys, rendered.split("|"), strict=True))


def test_the_caseload_lists_are_the_templates_html_with_names_escaped(
    world, as_persona, actor_of, enrol
):
    peer = actor_of("rco_a_peer")
    nasty = enrol("rco_a_peer", "Ann", NASTY, preferred_name="<b>Annie</b>")
    plain = enrol("rco_a_peer", "Maria", "Garcia")
    for person in (nasty, plain):
        encounter_log(
            actor=peer,
            participant=person,
            kind="one_to_one",
            duration_minutes=20,
            place="rco",
            occurred_at=timezone.now() - timedelta(hours=2),
        )
    caseload = caseload_for(actor=peer)
    assert caseload.followups and caseload.checkins_due and caseload.rows and caseload.recent

    new = {k: str(v) for k, v in presenters.caseload_lists(caseload).items()}
    assert new == _old_caseload_lists(caseload)

    page = as_persona("rco_a_peer").get("/caseload/").content.decode()
    assert NASTY not in page and "<b>Annie</b>" not in page
    escaped = "&lt;b&gt;Annie&lt;/b&gt; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"
    assert page.count(escaped) == 5, "follow-up, check-in due, row, its button, recent contact"
    assert f'href="/participants/{nasty.public_id}/contacts/new/"' in page


@pytest.mark.parametrize("voided", [False, True])
def test_a_contact_row_is_the_row_templates_html_with_everything_escaped(
    world, actor_of, enrol, voided
):
    peer = actor_of("rco_a_peer")
    person = enrol("rco_a_peer", "Maria", "Garcia")
    encounter = encounter_log(
        actor=peer,
        participant=person,
        kind="one_to_one",
        duration_minutes=45,
        place="other",
        place_detail="Café <Main & 5th>",
        life_domains=["housing", "recovery_wellness"],
        needs=NASTY,
        occurred_at=timezone.now() - timedelta(hours=3),
    )
    if voided:
        Encounter.objects.filter(pk=encounter.pk).update(
            voided_at=timezone.now(), voided_by=world.users["rco_a_peer"], void_reason=NASTY
        )
    row = Encounter.objects.select_related("logged_by", "voided_by").get(pk=encounter.pk)
    zone = person.organization.time_zone
    template = render_to_string(
        "encounters/_encounter_row.html",
        {"encounter": row, "zone": zone, "participant": person, "with_actions": False},
    )
    python = str(encounter_rows([row], ZoneInfo(zone)))
    assert python == template
    assert NASTY not in python and "&lt;script&gt;" in python and "&amp; Co" in python
    assert "Café &lt;Main &amp; 5th&gt;" in python


def test_the_persons_page_writes_its_read_events_in_one_insert(world, as_persona, enrol):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    client = as_persona("rco_a_peer")
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/participants/{person.public_id}/").status_code == 200
    inserts = [q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]
    audit_inserts = [q for q in inserts if "core_auditevent" in q["sql"]]
    assert len(audit_inserts) == 1
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.record_type) for e in events] == [
        ("view", "people.participant"),
        ("list", "consent.consent"),
        ("list", "assessments.assessment"),
        ("view", "plans.recoveryplan"),
    ]


def test_a_batch_writes_refusals_at_once_and_its_reads_even_when_the_block_fails(
    world, actor_of, enrol
):
    person = enrol("rco_a_peer", "Maria", "Garcia")
    other = actor_of("rco_b_peer")
    peer = actor_of("rco_a_peer")
    with pytest.raises(Http404), audit_batch() as kept:
        participant_get(actor=peer, participant_id=person.public_id)
        assert len(kept) == 1 and kept[0].pk is None, "the read waits for the end of the block"
        participant_get(actor=other, participant_id=person.public_id)
    denied = AuditEvent.objects.get(outcome="denied", username="rco_b_peer")
    viewed = AuditEvent.objects.get(action="view", outcome="ok", subject_id=str(person.public_id))
    assert denied.pk < viewed.pk, "the refusal was written at once, the read when the block ended"
    with audit_batch():
        event = audit_record(actor=peer, action=AuditEvent.Action.CREATE, record_type="x.y")
        assert event.pk is not None, "writes are recorded at once"
