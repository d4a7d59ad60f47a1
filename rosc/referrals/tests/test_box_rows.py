"""The inbox and outbox rows written in Python (rosc.referrals.presenters) are the markup the
template wrote, character for character, and escape every value as `{{ }}` does."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rosc.directory.models import Service
from rosc.referrals.models import Referral, ReferralKind, ReferralSource, ReferralStatus
from rosc.referrals.presenters import inbox_rows_html, outbox_rows_html, sent_formatter
from rosc.referrals.selectors import referral_inbox, referral_inbox_rows, referral_outbox

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> & \"Bo\""

# The rows as referral_box.html wrote them before the rows moved to Python.
TEMPLATE_ROWS = """{% for row in box.rows %}{% with referral=row.referral flags=row.flags %}
  <li class="person-row">
    <a class="person-name" href="{% url 'referrals:detail' referral.public_id %}">{{ referral.get_need_display }}: {% if box.box == "inbox" %}{{ referral.person_label }}{% else %}{{ referral.participant.display_name|default:"Person referred" }}{% endif %}</a>
    <span class="person-meta"><span class="status referral-status referral-status-{{ referral.status }}">{{ referral.get_status_display }}</span>{% for flag in flags %} <span class="referral-flag">{{ flag }}</span>{% endfor %}{% if referral.urgency != "routine" %} <span class="referral-urgency referral-urgency-{{ referral.urgency }}">{{ referral.get_urgency_display }}</span>{% endif %}</span>
    <span class="person-meta">{% if box.box == "inbox" %}From {% if referral.sender_organization %}{{ referral.sender_organization.name }}{% else %}the person themself ({{ referral.get_source_display|lower }}){% endif %}{% else %}To {{ referral.recipient_organization.name }}{% endif %}{% if referral.recipient_service %} · {{ referral.recipient_service.name }}{% endif %} · sent {{ referral.sent_at|date:"N j, Y, g:i A" }}{% if box.box == "inbox" and not referral.opened_at and referral.status == "requested" %} · <strong>not opened yet</strong>{% endif %}</span>
  </li>
  {% endwith %}{% endfor %}"""


def _template_rows(box) -> str:
    return engines["django"].from_string(TEMPLATE_ROWS).render({"box": box})


@pytest.fixture
def varied(world, enrol, actor_of):
    """Referrals to the provider covering each branch of a row, some with hostile text."""
    sender = world.orgs["rco_a"]
    provider = world.orgs["provider"]
    sender.name = HOSTILE
    sender.save(update_fields=["name"])
    service = Service.objects.create(organization=provider, name=HOSTILE, status="active")
    person = enrol("rco_a_peer", "<b>Ana</b>", "O'Neil & Co")
    now = timezone.now()
    rows = [
        # Overdue, never opened, urgent, to a service, a hostile name shared.
        dict(
            sender_organization=sender,
            participant=person,
            recipient_service=service,
            urgency="urgent",
            sent_at=now - timedelta(days=12),
            shared={"identity_and_contact": {"name": HOSTILE}},
        ),
        # Opened, soon, no name shared.
        dict(
            sender_organization=sender,
            urgency="soon",
            opened_at=now - timedelta(hours=1),
            sent_at=now - timedelta(hours=2),
        ),
        # Accepted (no flags), the name shared empty, at midnight and at noon.
        dict(
            sender_organization=sender,
            participant=person,
            status=ReferralStatus.ACCEPTED,
            sent_at=datetime(2026, 1, 5, 6, 0, tzinfo=UTC),
            shared={"identity_and_contact": {"name": ""}},
        ),
        dict(
            sender_organization=sender,
            status=ReferralStatus.IN_PROGRESS,
            sent_at=datetime(2026, 9, 14, 17, 5, tzinfo=UTC),
            shared={"identity_and_contact": {"name": "Lee"}},
        ),
        # A self-referral from the contact form (no sender).
        dict(
            kind=ReferralKind.SELF_REFERRAL,
            source=ReferralSource.CONTACT_FORM,
            sent_at=now - timedelta(minutes=5),
            shared={"identity_and_contact": {"name": "Sam & <i>Okafor</i>"}},
        ),
    ]
    for i, fields in enumerate(rows):
        Referral.objects.create(
            recipient_organization=provider,
            need=["housing", "legal", "health", "employment_education", "finances"][i],
            status=fields.pop("status", ReferralStatus.REQUESTED),
            **fields,
        )
    return person


def test_the_inbox_rows_are_the_templates_rows_with_every_value_escaped(varied, actor_of):
    partner = actor_of("provider_staff")
    written = str(inbox_rows_html(referral_inbox_rows(actor=partner).rows))
    assert written == _template_rows(referral_inbox(actor=partner))
    assert written.count('<li class="person-row">') == 5
    assert "<script>" not in written
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Bo&quot;" in written
    assert "Sam &amp; &lt;i&gt;Okafor&lt;/i&gt;" in written
    assert "Person referred (name not shared)" in written
    assert "From the person themself (contact-me form on the directory)" in written
    assert "not opened yet" in written and "Not opened in 1 business day" in written


def test_the_outbox_rows_are_the_templates_rows_with_every_value_escaped(varied, actor_of):
    peer = actor_of("rco_a_peer")
    outbox = referral_outbox(actor=peer)
    written = str(outbox_rows_html(outbox.rows))
    assert written == _template_rows(outbox)
    assert "&lt;b&gt;Ana&lt;/b&gt; O&#x27;Neil &amp; Co" in written
    assert "<b>" not in written


def test_the_inbox_page_reads_no_referral_row_by_row(varied, world, as_persona):
    client = as_persona("provider_staff")
    client.get(reverse("referrals:inbox"))
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("referrals:inbox")).content.decode()
    Referral.objects.bulk_create(
        Referral(
            sender_organization=world.orgs["rco_a"],
            recipient_organization=world.orgs["provider"],
            need="housing",
            status=ReferralStatus.REQUESTED,
            sent_at=timezone.now() - timedelta(days=i),
        )
        for i in range(40)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referrals:inbox"))
    assert len(many) == len(few)
    assert "&lt;script&gt;" in page and "<script>alert" not in page


@pytest.mark.parametrize(
    "at",
    [
        datetime(2026, 1, 1, 6, 0, tzinfo=UTC),  # midnight in Chicago
        datetime(2026, 3, 8, 18, 59, tzinfo=UTC),  # noon hour, after the DST change
        datetime(2026, 9, 30, 23, 7, tzinfo=UTC),
        datetime(2026, 5, 2, 4, 30, tzinfo=UTC),
        datetime(999, 12, 31, 12, 0, tzinfo=UTC),
    ],
)
def test_the_sent_date_is_written_as_the_date_filter_writes_it(at):
    expected = engines["django"].from_string('{{ at|date:"N j, Y, g:i A" }}').render({"at": at})
    assert sent_formatter()(at) == expected
    assert sent_formatter()(None) == ""
