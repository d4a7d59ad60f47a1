"""The authorization matrix: every route of the project, classified, and walked with every persona.

Each URL pattern (recursively through every include) and each operation of the JSON API is
classified below. A new route that is not classified fails `test_every_route_is_classified`; a
classification whose route is gone fails `test_the_classification_has_no_stale_entries`.

Classes:

PUBLIC      anyone, signed in or not.
SIGNED_IN   any signed-in user; no organization or record id in the request.
ORG_SCOPED  takes an organization id and/or a record id. Another organization's ids, and ids that
            do not exist, answer 404 (the same page either way), change nothing, and leave a
            "denied" audit event. In the persona's own organization the role decides, from
            ROLE_PERMS: the route names the permission it needs. A route with no id at all
            (the caseload list) works on the active organization only: there is no other
            organization's id to try, so only the role check applies.
ADMIN_SITE  django-admin: superusers only (after their second factor); everyone else is sent to
            the admin's login page and never sees content. Classified by namespace: every model
            registered in the admin adds routes, and all of them sit behind the same admin_view.
"""

import functools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.api import api
from conftest import PERSONAS, World, sign_in
from rosc.accounts.actor import ACTIVE_MEMBERSHIP_SESSION_KEY, actor_for_user
from rosc.accounts.models import Membership, Organization
from rosc.accounts.roles import Perm, Role, role_has_perm
from rosc.accounts.services import membership_create, user_create
from rosc.assessments.models import Assessment, Occasion
from rosc.assessments.selectors import shipped_barc10
from rosc.assessments.services import assessment_record
from rosc.consent.models import Category, Consent, Purpose, SignatureMethod, SigningRequest
from rosc.consent.services import consent_record, signing_request_create
from rosc.core.audit import audit_record
from rosc.core.models import AuditEvent
from rosc.councils.models import Council, CouncilMember, MeetingSeries, Occurrence
from rosc.councils.tests.factories import council_matrix_records
from rosc.directory.models import DirectoryImport, Location, Service
from rosc.encounters.models import Encounter
from rosc.encounters.services import encounter_log
from rosc.events.models import Event as CommunityEvent
from rosc.events.tests.factories import matrix_event
from rosc.fidelity.models import CouncilAssessment, RcoAssessment
from rosc.fidelity.tests.factories import matrix_fidelity_records
from rosc.justice.models import ProgressReport
from rosc.justice.tests.factories import matrix_records
from rosc.meetings.models import Meeting as SupportMeeting
from rosc.meetings.tests.factories import matrix_meeting
from rosc.people.models import Participant
from rosc.people.services import participant_enrol
from rosc.plans.models import PlanVersion
from rosc.plans.services import GoalData, plan_save
from rosc.referrals.models import Referral
from rosc.referrals.services import referral_create
from rosc.training.models import Course, Enrolment
from rosc.training.models import Session as TrainingSession
from rosc.training.tests.factories import matrix_records as training_matrix_records

PUBLIC = "public"
SIGNED_IN = "signed-in"
ORG_SCOPED = "org-scoped"
ADMIN_SITE = "admin-site"


@dataclass(frozen=True)
class Rule:
    kind: str
    method: str = "GET"
    # PUBLIC: the status an anonymous visitor gets (with placeholder ids and tokens).
    status: int = 200
    # ORG_SCOPED: what the role needs in its own organization (None: any member may).
    perm: str | None = None
    # ORG_SCOPED: a record id sent in the POST body rather than in the path.
    body_param: str | None = None
    # ORG_SCOPED: an allowed request reads a protected record, so it leaves an "ok" event.
    audited: bool = True
    # ORG_SCOPED: what an allowed request answers, when not 200 (GET) or 302 (POST). An API
    # write called with an empty body answers 422: past the gate, refused by the body check.
    allowed_status: int | None = None
    # ORG_SCOPED: roles that legitimately work across organizations on this route (the data
    # steward keeps every directory listing). For them another organization's ids are allowed
    # (checked to answer like their own); ids that exist nowhere, and another organization's
    # record under their own organization's id, still answer 404. Every other role is refused.
    network_wide: frozenset[str] = frozenset()


STEWARD = frozenset({Role.DATA_STEWARD})
DIRECTORY_EDIT = Rule(ORG_SCOPED, perm=Perm.DIRECTORY_EDIT, audited=False, network_wide=STEWARD)
DIRECTORY_CURATE = Rule(ORG_SCOPED, perm=Perm.DIRECTORY_CURATE, audited=False, network_wide=STEWARD)
# A council's roster and meeting pages: its coordinator, and a network administrator anywhere
# (in their own organization too: `network_wide` roles are allowed there whatever `perm` says).
COUNCIL_READ = Rule(
    ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, network_wide=frozenset({Role.NETWORK_ADMIN})
)

# Django routes, keyed "namespace:name".
ROUTES: dict[str, Rule] = {
    "core:healthz": Rule(PUBLIC),
    "accounts:login": Rule(PUBLIC),
    "accounts:password_reset": Rule(PUBLIC),
    "accounts:password_reset_done": Rule(PUBLIC),
    # A made-up link shows the "this link is invalid" page.
    "accounts:password_reset_confirm": Rule(PUBLIC),
    "accounts:password_reset_complete": Rule(PUBLIC),
    "accounts:invite_accept": Rule(PUBLIC, status=400),
    "api-1:openapi-json": Rule(PUBLIC),
    "api-1:openapi-view": Rule(PUBLIC),
    # django-ninja's root only exists so ninja can reverse its prefix: always 404.
    "api-1:api-root": Rule(PUBLIC, status=404),
    # The public directory (issue 3): search and listings; made-up ids answer 404.
    "directory:find": Rule(PUBLIC),
    "directory:organization": Rule(PUBLIC, status=404),
    "directory:service": Rule(PUBLIC, status=404),
    # The contact-me form on a listing (issue 5, self-referrals): made-up ids answer 404.
    "referrals:contact_organization": Rule(PUBLIC, status=404),
    "referrals:contact_service": Rule(PUBLIC, status=404),
    "referrals:contact_sent": Rule(PUBLIC, status=404),
    # Support-group meetings (Meeting Guide): the finder, the JSON feed; made-up slugs answer 404.
    "meetings:find": Rule(PUBLIC),
    "meetings:feed": Rule(PUBLIC),
    "meetings:meeting": Rule(PUBLIC, status=404),
    # Meetings an organization hosts and enters itself (not imported ones): its admin, with
    # DIRECTORY_EDIT as for its own listing. Meetings are public data: opening the list or a
    # form reads nothing protected; saves and pausing are audited (rosc/meetings tests).
    "meetings:manage": Rule(ORG_SCOPED, perm=Perm.DIRECTORY_EDIT, audited=False),
    "meetings:new": Rule(ORG_SCOPED, perm=Perm.DIRECTORY_EDIT, audited=False),
    "meetings:edit": Rule(ORG_SCOPED, perm=Perm.DIRECTORY_EDIT, audited=False),
    # The matrix's empty body changes nothing (a message): nothing read.
    "meetings:active": Rule(ORG_SCOPED, method="POST", perm=Perm.DIRECTORY_EDIT, audited=False),
    # The public HSDS API (issue 3): read-only open data; made-up ids answer 404.
    "hsds:root": Rule(PUBLIC),
    # Same empty pattern as hsds:root, which answers it.
    "hsds:api-root": Rule(PUBLIC),
    "hsds:openapi-json": Rule(PUBLIC),
    "hsds:service_list": Rule(PUBLIC),
    "hsds:service_detail": Rule(PUBLIC, status=404),
    "hsds:organization_list": Rule(PUBLIC),
    "hsds:organization_detail": Rule(PUBLIC, status=404),
    "hsds:service_at_location_list": Rule(PUBLIC),
    "hsds:service_at_location_detail": Rule(PUBLIC, status=404),
    "hsds:taxonomy_list": Rule(PUBLIC),
    "hsds:taxonomy_detail": Rule(PUBLIC, status=404),
    "hsds:taxonomy_term_list": Rule(PUBLIC),
    "hsds:taxonomy_term_detail": Rule(PUBLIC, status=404),
    "accounts:home": Rule(SIGNED_IN),
    "accounts:verify": Rule(SIGNED_IN),
    "accounts:logout": Rule(SIGNED_IN, method="POST"),
    "accounts:account": Rule(SIGNED_IN),
    "accounts:two_factor": Rule(SIGNED_IN),
    "accounts:password_change": Rule(SIGNED_IN),
    "accounts:api_tokens": Rule(SIGNED_IN),
    "accounts:switch": Rule(ORG_SCOPED, method="POST", body_param="membership"),
    "accounts:staff_list": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    "accounts:staff_detail": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    # Opening the empty invitation form reads no record; sending it is audited (test_staff).
    "accounts:staff_invite": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE, audited=False),
    "accounts:staff_deactivate": Rule(ORG_SCOPED, method="POST", perm=Perm.STAFF_MANAGE),
    "accounts:audit_list": Rule(ORG_SCOPED, perm=Perm.AUDIT_VIEW),
    "accounts:audit_export": Rule(ORG_SCOPED, perm=Perm.AUDIT_VIEW),
    "accounts:audit_detail": Rule(ORG_SCOPED, perm=Perm.AUDIT_VIEW),
    "people:list": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Opening the empty enrolment form reads no record; enrolling is audited (people tests).
    "people:new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN, audited=False),
    "care:participant": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "care:caseload": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "care:team": Rule(ORG_SCOPED, perm=Perm.TEAM_VIEW),
    "consent:new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "consent:detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "consent:print": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "consent:revoke": Rule(ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN),
    "consent:disclosures": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Check-ins (issue 4): each page reads the participant and their check-ins (audited). The
    # organization admin's instrument and settings pages read nothing about anyone.
    "assessments:history": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "assessments:new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "assessments:detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "assessments:instruments": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE, audited=False),
    "assessments:instrument_new": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE, audited=False),
    "assessments:settings": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE, audited=False),
    # Recovery plans (issue 4): every page reads the plan (audited); reviewing needs PLANS_REVIEW.
    "plans:plan": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "plans:edit": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "plans:print": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "plans:versions": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "plans:version": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "plans:review": Rule(ORG_SCOPED, perm=Perm.PLANS_REVIEW),
    # Follow-ups and discharge (issue 4): each page reads the participant (audited); the
    # forms name a follow-up in the query string, not the path. Primary peer is in people.
    "people:primary_peer": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "followups:list": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "followups:attempt": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "followups:complete": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "followups:discharge": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "followups:reenrol": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Encounters (issue 4): the quick form reads the participant, the list is a LIST, the note
    # is its own audited VIEW, the in-error page shows the contact (without its note).
    "encounters:list": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "encounters:new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "encounters:note": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "encounters:void": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "consent:signing": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "consent:signing_cancel": Rule(ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN),
    # The person's own device: a made-up one-time link shows "this link no longer works".
    "consent:sign": Rule(PUBLIC, status=404),
    # Keeping directory listings true (issue 3): an organization admin edits their own listing,
    # the data steward every listing (network-wide). Directory data is public: opening a form
    # reads nothing protected, so only the saves are audited (rosc/directory/tests).
    "directory:manage": Rule(ORG_SCOPED, perm=Perm.DIRECTORY_EDIT, audited=False),
    "directory:listing_edit": DIRECTORY_EDIT,
    "directory:listing_verify": Rule(
        ORG_SCOPED, method="POST", perm=Perm.DIRECTORY_EDIT, network_wide=STEWARD
    ),
    "directory:service_new": DIRECTORY_EDIT,
    "directory:service_edit": DIRECTORY_EDIT,
    "directory:location_new": DIRECTORY_EDIT,
    "directory:location_edit": DIRECTORY_EDIT,
    # Network-wide directory work, the steward's only: duplicates, merges, HSDS uploads.
    "directory:duplicates": DIRECTORY_CURATE,
    "directory:merge": DIRECTORY_CURATE,
    "directory:import_new": DIRECTORY_CURATE,
    "directory:import_detail": DIRECTORY_CURATE,
    # Reentry and diversion (issue 5, rosc/justice). Each org's reentry and diversion referral
    # in `records` comes from an outside jail or court (no persona's), so the persona's
    # organization is the recipient side; the sending side is tested in rosc/justice/tests.
    # Sending forms read the sender's own participant (audited); others see a notice.
    "justice:reentry_new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "justice:diversion_new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Lists: one LIST event each.
    "justice:reentry_list": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "justice:court": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "justice:reentry_detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # An empty form is refused next to its fields: the page is shown again (read, audited).
    "justice:reentry_release": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, allowed_status=200
    ),
    "justice:reentry_checklist": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, allowed_status=200
    ),
    "justice:reentry_contact": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, allowed_status=200
    ),
    "justice:diversion_detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "justice:report_detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Sending a report now: today's is already sent, so it is refused with a message (nothing
    # read); a sent one is audited (rosc/justice tests). Running due reports enqueues a task.
    "justice:report_send": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False
    ),
    "justice:reports_run": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False
    ),
    # FHIR R4 (issue 5, rosc/fhir). Directory data and the CapabilityStatement are public.
    # Everything else answers like the JSON API (401 without a session or API key; see
    # targets()): a referral's Task, ServiceRequest, Bundle and Patient/<referral id> only to
    # its two sides (the matrix's referrals go to an organization no persona belongs to; the
    # recipient side is tested in rosc/fhir/tests), Patient/<participant id> and Consent to
    # the enrolling organization. The search works on the active organization only; posting a
    # Bundle with the matrix's empty body answers 422 past the gate.
    "fhir:metadata": Rule(PUBLIC),
    "fhir:organization": Rule(PUBLIC, status=404),
    "fhir:healthcare_service": Rule(PUBLIC, status=404),
    "fhir:task": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:service_request": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:bundle": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:patient": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:consent": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:task_search": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "fhir:bundle_create": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False, allowed_status=422
    ),
    # Referral pages (issue 5, rosc/referrals). A referral has two sides; each org's referral
    # in `records` goes to an organization no persona belongs to, so the persona's
    # organization is the sender; the recipient side is tested in rosc/referrals/tests.
    # The form reads the person (audited); inbox and outbox are one LIST event each.
    "referrals:new": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "referrals:inbox": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "referrals:sent": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "referrals:detail": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    # Notices never name the person: the list reads nothing protected.
    "referrals:notifications": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN, audited=False),
    "referrals:settings": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE, audited=False),
    # A move without a target is refused with a message (nothing read); the sender may not
    # enrol (a message); an empty note is refused next to its field, the page shown again.
    "referrals:move": Rule(ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False),
    "referrals:enrol": Rule(ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False),
    "referrals:note": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, allowed_status=200
    ),
    # Public events (rosc/events): the list and the feed; made-up slugs and links answer 404.
    "events:list": Rule(PUBLIC),
    "events:calendar": Rule(PUBLIC),
    "events:detail": Rule(PUBLIC, status=404),
    "events:event_ics": Rule(PUBLIC, status=404),
    "events:registration": Rule(PUBLIC, status=404),
    # The hosts' staff (org admin, or the coordinator of the council an event belongs to). The
    # event list, the empty form and the edit form show no one's personal data (writes are
    # audited, rosc/events/tests); registrations and the check-in list are audited reads.
    "events:manage": Rule(ORG_SCOPED, perm=Perm.EVENTS_MANAGE, audited=False),
    "events:new": Rule(ORG_SCOPED, perm=Perm.EVENTS_MANAGE, audited=False),
    "events:edit": Rule(ORG_SCOPED, perm=Perm.EVENTS_MANAGE, audited=False),
    "events:registrations": Rule(ORG_SCOPED, perm=Perm.EVENTS_MANAGE),
    "events:check_in": Rule(ORG_SCOPED, perm=Perm.EVENTS_MANAGE),
    # Self-assessments (rosc/fidelity). Each organization's RCO standards self-assessment in
    # `records` is submitted. Any staff member reads the list and one assessment (audited);
    # starting one needs FIDELITY_EDIT and is refused with a message while one is waiting for
    # review, or for an organization that is not an RCO (nothing read); the edit page of a
    # submitted one shows it read-only (audited).
    "fidelity:rco_list": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    "fidelity:rco_start": Rule(ORG_SCOPED, method="POST", perm=Perm.FIDELITY_EDIT, audited=False),
    "fidelity:rco_detail": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    "fidelity:rco_edit": Rule(ORG_SCOPED, perm=Perm.FIDELITY_EDIT),
    # The network's review: a network administrator opens every organization's submitted one.
    "fidelity:review_queue": Rule(ORG_SCOPED, perm=Perm.FIDELITY_REVIEW),
    "fidelity:review_detail": Rule(
        ORG_SCOPED, perm=Perm.FIDELITY_REVIEW, network_wide=frozenset({Role.NETWORK_ADMIN})
    ),
    # Council ROSC self-assessments: the coordinator of the council's host organization (each
    # organization in `records` hosts a council with one); the empty form reads nothing. The
    # network administrator sees every council's latest (de-identified: no people in it).
    "fidelity:council_list": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE),
    "fidelity:council_new": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, audited=False),
    "fidelity:council_detail": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE),
    "fidelity:network_councils": Rule(ORG_SCOPED, perm=Perm.NETWORK_VIEW),
    # Councils (issue 6, rosc/councils). Public: the network page, each council's page and
    # calendar feeds; a member's own feed sits at a secret address (made-up ones answer 404).
    "councils:network": Rule(PUBLIC),
    "councils:network_calendar": Rule(PUBLIC),
    "councils:member_calendar": Rule(PUBLIC, status=404),
    "councils:council": Rule(PUBLIC, status=404),
    "councils:council_calendar": Rule(PUBLIC, status=404),
    # The coordinator's pages: the host organization's COUNCIL_MANAGE; a network administrator
    # reads the roster page and meeting pages of every council (network-wide), writes nothing.
    # Each org's council in `records` is hosted by that organization.
    "councils:manage_list": Rule(SIGNED_IN),
    "councils:manage": COUNCIL_READ,
    "councils:meeting": COUNCIL_READ,
    # Empty forms and the schedule (public data) read nothing protected; saves are audited.
    "councils:member_new": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, audited=False),
    "councils:member_edit": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE),
    "councils:member_feed": Rule(ORG_SCOPED, method="POST", perm=Perm.COUNCIL_MANAGE),
    "councils:schedule_new": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, audited=False),
    "councils:schedule_edit": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, audited=False),
    "councils:schedule_extra": Rule(ORG_SCOPED, perm=Perm.COUNCIL_MANAGE, audited=False),
    # Without a date the post is refused with a message: nothing read.
    "councils:schedule_date": Rule(
        ORG_SCOPED, method="POST", perm=Perm.COUNCIL_MANAGE, audited=False
    ),
    # Joint training programs (rosc/training). Course offerings and certificate verification
    # are public; made-up ids and codes answer 404. Enrolling and withdrawing name the session
    # or enrolment in the body (the matrix's empty body is sent back with a message); My
    # training is the person's own record.
    "training:calendar": Rule(PUBLIC),
    "training:session": Rule(PUBLIC, status=404),
    "training:verify_lookup": Rule(PUBLIC),
    "training:verify": Rule(PUBLIC, status=404),
    "training:mine": Rule(SIGNED_IN),
    "training:enrol": Rule(SIGNED_IN, method="POST"),
    "training:withdraw": Rule(SIGNED_IN, method="POST"),
    # Each org's session in `records` is hosted by that organization alone: any of its staff
    # may open the roster (audited). A certificate (a colleague's, not a persona's): its
    # holder (tested in rosc/training) and their organization's admin.
    "training:roster": Rule(ORG_SCOPED),
    "training:certificate": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE),
    # Course pages of the owning organization: course data is not protected, nothing is read
    # about anyone; saves are audited (rosc/training tests).
    "training:courses": Rule(ORG_SCOPED, perm=Perm.TRAINING_MANAGE, audited=False),
    "training:course_new": Rule(ORG_SCOPED, perm=Perm.TRAINING_MANAGE, audited=False),
    "training:course_edit": Rule(ORG_SCOPED, perm=Perm.TRAINING_MANAGE, audited=False),
    "training:session_new": Rule(ORG_SCOPED, perm=Perm.TRAINING_MANAGE, audited=False),
    "training:session_edit": Rule(ORG_SCOPED, perm=Perm.TRAINING_MANAGE, audited=False),
    # Staff by hours: the organization's admin (a LIST, or an EXPORT for the CSV).
    "training:report": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE),
    "training:report_csv": Rule(ORG_SCOPED, perm=Perm.STAFF_MANAGE),
    # A person's own calendar feed (rosc/mycalendar): public at a secret address (made-up
    # tokens answer 404); the button on "Your account" works on the signed-in person's own feed.
    "mycalendar:calendar": Rule(PUBLIC, status=404),
    "mycalendar:feed_manage": Rule(SIGNED_IN, method="POST"),
}

# An API write that parses its JSON body after the gate: with the matrix's empty body, allowed
# personas get 422 (nothing read, nothing written), everyone else 404.
API_WRITE = Rule(
    ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, audited=False, allowed_status=422
)

# JSON API operations, keyed "METHOD /path/{param}" as in the OpenAPI document.
API_OPERATIONS: dict[str, Rule] = {
    "GET /api/v1/me": Rule(SIGNED_IN),
    "GET /api/v1/orgs/{org_id}/staff": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    "GET /api/v1/orgs/{org_id}/staff/{membership_id}": Rule(ORG_SCOPED, perm=Perm.STAFF_VIEW),
    # Instruments are not about anyone; a person's check-ins are (each read audited).
    "GET /api/v1/orgs/{org_id}/instruments": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN, audited=False
    ),
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/assessments": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/assessments": API_WRITE,
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/encounters": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/encounters": API_WRITE,
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/encounters/{encounter_id}/note": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "GET /api/v1/orgs/{org_id}/participants": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "POST /api/v1/orgs/{org_id}/participants": API_WRITE,
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "PATCH /api/v1/orgs/{org_id}/participants/{participant_id}": Rule(
        ORG_SCOPED, method="PATCH", perm=Perm.PARTICIPANTS_OPEN, audited=False
    ),
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/consents": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/consents": API_WRITE,
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/consents/{consent_id}/revoke": Rule(
        ORG_SCOPED, method="POST", perm=Perm.PARTICIPANTS_OPEN, allowed_status=422
    ),
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/disclosures": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/follow-ups": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/follow-ups/attempts": API_WRITE,
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/follow-ups/complete": API_WRITE,
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/discharge": API_WRITE,
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/re-enrolment": API_WRITE,
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/plan": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/plan": API_WRITE,
    "GET /api/v1/orgs/{org_id}/participants/{participant_id}/plan/versions": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    # The version is read (audited) before the body is parsed: an empty body then answers 422.
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/plan/versions/{plan_version_id}"
    "/review": Rule(ORG_SCOPED, method="POST", perm=Perm.PLANS_REVIEW, allowed_status=422),
    # Referrals (issue 5): lists and one referral are audited reads; writes parse the body
    # after the gate (the matrix's referral is the persona organization's own, sent).
    "GET /api/v1/orgs/{org_id}/referrals/inbox": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "GET /api/v1/orgs/{org_id}/referrals/sent": Rule(ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN),
    "GET /api/v1/orgs/{org_id}/referrals/{referral_id}": Rule(
        ORG_SCOPED, perm=Perm.PARTICIPANTS_OPEN
    ),
    "POST /api/v1/orgs/{org_id}/participants/{participant_id}/referrals": API_WRITE,
    "POST /api/v1/orgs/{org_id}/referrals/{referral_id}/transitions": API_WRITE,
    "POST /api/v1/orgs/{org_id}/referrals/{referral_id}/notes": API_WRITE,
}

# Whole namespaces classified at once.
NAMESPACES: dict[str, Rule] = {
    "admin": Rule(ADMIN_SITE),
}

ADMIN_LOGIN = "/django-admin/login/"
ORG_PARAM = "org_id"
# How each record parameter finds its record in a given organization's test data.
RECORD_PARAMS = {
    "membership_id": "membership",
    "membership": "membership",
    "event_id": "event",
    "participant_id": "participant",
    "consent_id": "consent",
    "assessment_id": "assessment",
    "encounter_id": "encounter",
    "plan_version_id": "plan_version",
    "request_id": "signing_request",
    "service_id": "listing_service",
    "location_id": "listing_location",
    "import_id": "directory_import",
    "reentry_id": "reentry_referral",
    "diversion_id": "diversion_referral",
    "report_id": "progress_report",
    "referral_id": "referral",
    "patient_id": "participant",  # FHIR Patient/<participant id>
    "community_event_id": "community_event",
    "rco_assessment_id": "rco_assessment",
    "council_assessment_id": "council_assessment",
    "council_id": "council",
    "member_id": "council_member",
    "series_id": "meeting_series",
    "meeting_id": "council_meeting",
    "course_id": "training_course",
    "training_session_id": "training_session",
    "enrolment_id": "training_enrolment",
    "support_meeting_id": "support_meeting",
}


# --- enumerating the routes -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str
    namespace: str
    name: str | None
    pattern: str  # the full pattern text, from the root
    params: tuple[str, ...]


def _walk(
    resolver: URLResolver, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, text, ns)
        elif isinstance(entry, URLPattern):
            namespace = ":".join(namespaces)
            key = f"{namespace}:{entry.name or text}" if namespace else (entry.name or text)
            params = tuple(re.findall(r"\(\?P<(\w+)>", text)) or tuple(
                re.findall(r"<(?:\w+:)?(\w+)>", text)
            )
            yield Route(key, namespace, entry.name, text, params)


def _as_openapi_path(route: Route) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.pattern)


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """'METHOD /path' -> (method, path) for every operation in the API's OpenAPI document."""
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
    }


@functools.cache
def django_routes() -> tuple[Route, ...]:
    """Every URL pattern except django-ninja's operations (those are classified as operations)."""
    operation_paths = {path for _method, path in api_operations().values()}
    return tuple(
        route
        for route in _walk(get_resolver())
        if not (
            route.namespace == api.urls_namespace and _as_openapi_path(route) in operation_paths
        )
    )


def rule_for(route: Route) -> Rule | None:
    return ROUTES.get(route.key) or NAMESPACES.get(route.namespace.split(":")[0])


def fill(pattern: str, values: dict[str, str]) -> str:
    """A concrete path from a pattern: Django route syntax, regex groups, or OpenAPI {params}."""
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], path)
    path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], path)
    path = path.replace("^", "").replace("$", "")
    return path if path.startswith("/") else "/" + path


# --- the classification itself ---------------------------------------------------------------


def test_every_route_is_classified():
    unclassified = sorted(
        f"{r.key}  (/{r.pattern})" for r in django_routes() if rule_for(r) is None
    )
    unclassified += sorted(op for op in api_operations() if op not in API_OPERATIONS)
    assert not unclassified, (
        "These routes are not in the authorization matrix. Classify each one in "
        "rosc/core/tests/test_authorization_matrix.py (ROUTES, API_OPERATIONS or NAMESPACES):\n  "
        + "\n  ".join(unclassified)
    )


def test_the_classification_has_no_stale_entries():
    keys = {r.key for r in django_routes()}
    namespaces = {r.namespace.split(":")[0] for r in django_routes()}
    stale = sorted(k for k in ROUTES if k not in keys)
    stale += sorted(op for op in API_OPERATIONS if op not in api_operations())
    stale += sorted(ns for ns in NAMESPACES if ns not in namespaces)
    assert not stale, "Classified routes that no longer exist: " + ", ".join(stale)


def test_every_org_scoped_route_names_only_parameters_the_matrix_can_fill():
    unknown = []
    for r in django_routes():
        rule = rule_for(r)
        if rule is not None and rule.kind == ORG_SCOPED:
            params = [*r.params, *([rule.body_param] if rule.body_param else [])]
            unknown += [
                f"{r.key}: {p}" for p in params if p != ORG_PARAM and p not in RECORD_PARAMS
            ]
    for op, (_method, path) in api_operations().items():
        if API_OPERATIONS.get(op, Rule(PUBLIC)).kind == ORG_SCOPED:
            params = re.findall(r"\{(\w+)\}", path)
            unknown += [f"{op}: {p}" for p in params if p != ORG_PARAM and p not in RECORD_PARAMS]
    assert not unknown, "Teach RECORD_PARAMS which record these parameters name: " + ", ".join(
        unknown
    )


# --- the world's records, one set per organization --------------------------------------------


@dataclass
class OrgRecords:
    org: Organization
    membership: Membership  # a colleague anyone of this organization may look up
    event: AuditEvent  # an audit event of this organization
    participant: Participant  # a person this organization enrolled
    encounter: Encounter  # a contact with that person, with a note
    assessment: Assessment  # that person's BARC-10 intake check-in
    plan_version: PlanVersion  # that person's recovery plan, version 1
    consent: Consent  # that person's consent to share with another organization
    signing_request: SigningRequest  # a consent prepared for that person to sign on their phone
    listing_service: Service  # a service of this organization's directory listing
    listing_location: Location  # a place of this organization's directory listing
    directory_import: DirectoryImport  # an HSDS upload by someone of this organization
    reentry_referral: Referral  # a reentry referral to this organization from an outside jail
    diversion_referral: Referral  # a diversion referral to it from an outside court
    progress_report: ProgressReport  # this organization's report on that diversion referral
    referral: Referral  # that person's referral to an organization no persona belongs to
    community_event: CommunityEvent | None = None  # a public event it hosts (rosc/events)
    # Its submitted RCO standards self-assessment; the ROSC one of a council it hosts (fidelity).
    rco_assessment: RcoAssessment | None = None
    council_assessment: CouncilAssessment | None = None
    # A council it hosts, with a roster entry, a monthly meeting and one date of it (councils).
    council: Council | None = None
    council_member: CouncilMember | None = None
    meeting_series: MeetingSeries | None = None
    council_meeting: Occurrence | None = None
    # Its training course, a session of it it hosts alone, a colleague's completed enrolment.
    training_course: Course | None = None
    training_session: TrainingSession | None = None
    training_enrolment: Enrolment | None = None
    # A support-group meeting it entered and keeps itself (rosc/meetings).
    support_meeting: SupportMeeting | None = None

    def value(self, param: str) -> str:
        if param == ORG_PARAM:
            return str(self.org.public_id)
        record = getattr(self, RECORD_PARAMS[param])
        return str(record.public_id)


@pytest.fixture
def records(world: World) -> dict[str, OrgRecords]:
    """For each organization: a staff member (not a persona), an audit event, and a participant
    with a consent, enrolled by a peer colleague (not a persona) of that organization."""
    result = {}
    for key, org in world.orgs.items():
        peer = user_create(username=f"peer_{key}", email=f"peer_{key}@example.org", password=None)
        membership_create(user=peer, organization=org, role=Role.PEER_SPECIALIST)
        peer_actor = actor_for_user(peer, org)
        participant = participant_enrol(
            actor=peer_actor, legal_first_name="Jordan", legal_last_name=f"Rivera {key}"
        )
        partner = next(o for k, o in world.orgs.items() if k != key)
        consent = consent_record(
            actor=peer_actor,
            participant=participant,
            recipient_organization=partner,
            purpose=Purpose.CARE_COORDINATION,
            categories=[Category.IDENTITY_CONTACT],
            expires_on=timezone.localdate() + timedelta(days=365),
            right_to_revoke_acknowledged=True,
            signature_name=f"Jordan Rivera {key}",
            signature_confirmed=True,
            signature_method=SignatureMethod.IN_PERSON,
        )
        signing_request, _token = signing_request_create(
            actor=peer_actor,
            participant=participant,
            recipient_organization=partner,
            purpose=Purpose.REFERRAL,
            categories=[Category.IDENTITY_CONTACT],
            expires_on=timezone.localdate() + timedelta(days=90),
        )
        user = user_create(
            username=f"colleague_{key}", email=f"colleague_{key}@example.org", password=None
        )
        membership = membership_create(user=user, organization=org, role=Role.COUNCIL_COORDINATOR)
        someone = next(p for p, (org_key, _role) in PERSONAS.items() if org_key == key)
        event = audit_record(
            actor=actor_for_user(world.users[someone]),
            action=AuditEvent.Action.VIEW,
            record=membership,
            record_organization_id=org.public_id,
            subject=user,
        )
        assessment = assessment_record(
            actor=peer_actor,
            participant=participant,
            instrument=shipped_barc10(),
            taken_on=participant.enrolled_on,
            occasion=Occasion.INTAKE,
            answers={str(i): 4 for i in range(1, 11)},
        )
        encounter = encounter_log(
            actor=peer_actor,
            participant=participant,
            kind="phone",
            duration_minutes=10,
            place="remote",
            note="Only this organization's staff may read this note.",
        )
        plan_version = plan_save(
            actor=peer_actor,
            participant=participant,
            base_version=None,
            meaning="Being well enough to enjoy my days",
            strengths="",
            goals=[GoalData(domain="housing", text="A quiet room of my own")],
        )
        listing_service = Service.objects.create(
            organization=org, name=f"Coaching {key}", status=Service.Status.ACTIVE
        )
        listing_location = Location.objects.create(
            organization=org, name=f"Office {key}", location_type="physical"
        )
        directory_import = DirectoryImport.objects.create(
            organization=org, file_name=f"{key}.zip", stored_path=f"uploads/hsds/{key}.zip"
        )
        # A referral sent to an organization no persona belongs to, so every other persona's
        # answer is the 404 (the recipient's side is tested in rosc/referrals and rosc/fhir).
        housing = Organization.objects.create(
            name=f"Harbor Housing {key}", slug=f"harbor-housing-{key}", kind="housing"
        )
        consent_record(
            actor=peer_actor,
            participant=participant,
            recipient_organization=housing,
            purpose=Purpose.REFERRAL,
            categories=[Category.IDENTITY_CONTACT, Category.REFERRAL_DETAILS],
            expires_on=timezone.localdate() + timedelta(days=365),
            right_to_revoke_acknowledged=True,
            signature_name=f"Jordan Rivera {key}",
            signature_confirmed=True,
            signature_method=SignatureMethod.IN_PERSON,
        )
        referral = referral_create(
            actor=peer_actor,
            participant=participant,
            recipient_organization=housing,
            need="housing",
        )
        reentry_referral, diversion_referral, progress_report = matrix_records(peer_actor, key)
        result[key] = OrgRecords(
            org=org,
            membership=membership,
            event=event,
            participant=participant,
            encounter=encounter,
            assessment=assessment,
            plan_version=plan_version,
            consent=consent,
            signing_request=signing_request,
            listing_service=listing_service,
            listing_location=listing_location,
            directory_import=directory_import,
            reentry_referral=reentry_referral,
            diversion_referral=diversion_referral,
            progress_report=progress_report,
            referral=referral,
        )
    for key, own in result.items():
        own.rco_assessment, own.council_assessment = matrix_fidelity_records(
            own.org, own.membership.user, key
        )
    for key, own in result.items():
        own.community_event = matrix_event(own.org, key)
    for key, own in result.items():
        own.council, own.council_member, own.meeting_series, own.council_meeting = (
            council_matrix_records(own.org, key)
        )
    for own in result.values():
        made = training_matrix_records(own.org, own.membership.user)
        own.training_course, own.training_session, own.training_enrolment = made
    for key, own in result.items():
        own.support_meeting = matrix_meeting(own.org, key)
    return result


# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One route, ready to be called with a set of ids."""

    label: str
    rule: Rule
    pattern: str
    path_params: tuple[str, ...]
    is_api: bool

    @property
    def record_params(self) -> tuple[str, ...]:
        params = [*self.path_params, *([self.rule.body_param] if self.rule.body_param else [])]
        return tuple(p for p in params if p != ORG_PARAM)

    def call(self, client: Client, values: dict[str, str]):
        path = fill(self.pattern, values)
        if self.rule.method == "PATCH":
            return client.patch(path, "{}", content_type="application/json")
        if self.rule.method == "POST":
            data = (
                {self.rule.body_param: values[self.rule.body_param]} if self.rule.body_param else {}
            )
            return client.post(path, data)
        return client.get(path)


def targets(kind: str) -> list[Target]:
    found = [
        # FHIR endpoints answer like the API: 401 without a session or key, never a redirect.
        Target(r.key, rule, r.pattern, r.params, r.namespace == "fhir")
        for r in django_routes()
        if (rule := rule_for(r)) is not None and rule.kind == kind
    ]
    for op, (_method, path) in api_operations().items():
        rule = API_OPERATIONS.get(op)
        if rule is not None and rule.kind == kind:
            found.append(Target(op, rule, path, tuple(re.findall(r"\{(\w+)\}", path)), True))
    return found


def body_of(response) -> bytes:
    """The page without what differs on every request (CSP nonce, CSRF token)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(rb'(nonce|value)="[^"]*"', b"", content)


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- anonymous visitors ----------------------------------------------------------------------


PLACEHOLDERS = {
    "uidb64": "MQ",
    "token": "abc-0123456789abcdef",
    "org_id": str(uuid.uuid4()),
    "membership_id": str(uuid.uuid4()),
    "membership": str(uuid.uuid4()),
    "event_id": str(uuid.uuid4()),
    "participant_id": str(uuid.uuid4()),
    "consent_id": str(uuid.uuid4()),
    "encounter_id": str(uuid.uuid4()),
    "assessment_id": str(uuid.uuid4()),
    "plan_version_id": str(uuid.uuid4()),
    "request_id": str(uuid.uuid4()),
    "location_id": str(uuid.uuid4()),
    "import_id": str(uuid.uuid4()),
    "reentry_id": str(uuid.uuid4()),
    "diversion_id": str(uuid.uuid4()),
    "report_id": str(uuid.uuid4()),
    "referral_id": str(uuid.uuid4()),
    "patient_id": str(uuid.uuid4()),
    "rco_assessment_id": str(uuid.uuid4()),
    "council_assessment_id": str(uuid.uuid4()),
    "organization_id": str(uuid.uuid4()),
    "service_id": str(uuid.uuid4()),
    "id": str(uuid.uuid4()),
    "event_slug": "no-such-event",
    "community_event_id": str(uuid.uuid4()),
    "meeting_slug": "no-such-meeting",
    "slug": "no-such-council",
    "council_id": str(uuid.uuid4()),
    "member_id": str(uuid.uuid4()),
    "series_id": str(uuid.uuid4()),
    "meeting_id": str(uuid.uuid4()),
    "course_id": str(uuid.uuid4()),
    "training_session_id": str(uuid.uuid4()),
    "enrolment_id": str(uuid.uuid4()),
    "support_meeting_id": str(uuid.uuid4()),
    "certificate_code": "AAAA-BBBB-CCCC",
}


@pytest.mark.parametrize("target", targets(PUBLIC), ids=lambda t: t.label)
def test_public_route_answers_an_anonymous_visitor(db, client, target):
    response = target.call(client, PLACEHOLDERS)
    assert response.status_code == target.rule.status, target.label
    assert not response.get("Location", "").startswith("/login/")


@pytest.mark.parametrize("target", targets(SIGNED_IN) + targets(ORG_SCOPED), ids=lambda t: t.label)
def test_anonymous_visitor_is_sent_to_sign_in_or_refused(db, client, target):
    response = target.call(client, PLACEHOLDERS)
    if target.is_api:
        assert response.status_code == 401, target.label
    else:
        assert response.status_code == 302, target.label
        assert response["Location"].startswith("/login/"), target.label


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", targets(SIGNED_IN), ids=lambda t: t.label)
def test_signed_in_route_opens_for_every_persona(world, persona, target):
    client = sign_in(Client(), world, persona)
    response = target.call(client, {})
    expected = 302 if target.rule.method == "POST" else 200
    assert response.status_code == expected, (persona, target.label)


# --- organization-scoped routes: another organization's ids -----------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_gets_404_for_every_other_organizations_records(world, records, persona):
    """Each org-scoped route, with another organization's ids (or ids that exist nowhere).

    Answers 404 whatever the role, with the same page as for a missing record; nothing changes;
    every refused attempt is in the audit trail as denied.
    """
    own_key = PERSONAS[persona][0]
    own = records[own_key]
    client = sign_in(Client(), world, persona)
    active_before = client.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
    memberships_before = dict(Membership.objects.values_list("pk", "is_active"))
    failures = []

    for target in targets(ORG_SCOPED):
        params = (
            *target.path_params,
            *([target.rule.body_param] if target.rule.body_param else []),
        )
        if not params:
            continue  # works on the active organization only; the own-organization test checks it
        missing = {p: str(uuid.uuid4()) for p in params}
        attempts = {"ids that exist nowhere": missing}
        if target.record_params and ORG_PARAM in params:
            attempts["own org, a record that does not exist"] = {
                **missing,
                ORG_PARAM: own.value(ORG_PARAM),
            }
        allowed_elsewhere = {}
        for key, other in records.items():
            if key == own_key:
                continue
            if PERSONAS[persona][1] in target.rule.network_wide:
                allowed_elsewhere[f"{key}'s ids"] = {p: other.value(p) for p in params}
            else:
                attempts[f"{key}'s ids"] = {p: other.value(p) for p in params}
            if target.record_params and ORG_PARAM in params:
                attempts[f"own org, {key}'s record"] = {
                    **{p: other.value(p) for p in params},
                    ORG_PARAM: own.value(ORG_PARAM),
                }

        bodies = {}
        for label, values in attempts.items():
            since = last_event_id()
            response = target.call(client, values)
            where = f"{target.label} with {label}"
            if response.status_code != 404:
                failures.append(f"{where}: {response.status_code}, expected 404")
                continue
            denied = AuditEvent.objects.filter(
                id__gt=since, username=persona, outcome=AuditEvent.Outcome.DENIED
            )
            if not denied.exists():
                failures.append(f"{where}: refused, but no denied audit event")
            elif not denied.filter(record_id__in=list(values.values())).exists():
                failures.append(f"{where}: the denied event does not name the record asked for")
            bodies[label] = body_of(response)
        for label, values in allowed_elsewhere.items():
            response = target.call(client, values)
            expected = target.rule.allowed_status or (302 if target.rule.method == "POST" else 200)
            if response.status_code != expected:
                failures.append(
                    f"{target.label} with {label}: {response.status_code} for a network-wide "
                    f"role, expected {expected}"
                )
        if len(set(bodies.values())) > 1:
            failures.append(f"{target.label}: the 404 differs between missing and foreign ids")

    assert not failures, f"{persona}:\n  " + "\n  ".join(failures)
    # Nothing changed: nobody was deactivated, the session still works for the same membership.
    assert dict(Membership.objects.values_list("pk", "is_active")) == memberships_before
    assert client.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) == active_before
    assert client.get("/").status_code == 200


# --- organization-scoped routes: the persona's own organization --------------------------------


def own_organization_problems(world: World, own: OrgRecords, persona: str, target: Target) -> str:
    """What is wrong with one route called by a persona in their own organization ("" if all is
    well): the role decides, from ROLE_PERMS."""
    role = PERSONAS[persona][1]
    client = sign_in(Client(), world, persona)
    values = {ORG_PARAM: own.value(ORG_PARAM), **{p: own.value(p) for p in target.record_params}}
    if target.rule.body_param == "membership":
        # Switching: to one's own membership.
        values["membership"] = str(world.memberships[persona].public_id)
    allowed = (
        target.rule.perm is None
        or role_has_perm(role, target.rule.perm)
        or role in target.rule.network_wide
    )
    since = last_event_id()
    events = AuditEvent.objects.filter(id__gt=since, username=persona)

    response = target.call(client, values)

    if not allowed:
        if response.status_code != 404:
            return f"{response.status_code}, expected 404 (the role may not)"
        if not events.filter(outcome=AuditEvent.Outcome.DENIED).exists():
            return "refused, but no denied audit event"
        own.membership.refresh_from_db()
        return "" if own.membership.is_active else "a refused request changed a membership"
    expected = target.rule.allowed_status or (302 if target.rule.method == "POST" else 200)
    if response.status_code != expected:
        return f"{response.status_code}, expected {expected}"
    body_of(response)  # reads a streamed export to the end
    if target.rule.audited and not events.filter(outcome=AuditEvent.Outcome.OK).exists():
        return "allowed, but the read left no audit event"
    if events.filter(outcome=AuditEvent.Outcome.DENIED).exists():
        return "allowed, but a denied audit event was written"
    if target.label == "accounts:staff_deactivate":
        own.membership.refresh_from_db()
        if own.membership.is_active:
            return "the colleague is still active"
    return ""


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_gets_what_their_role_allows_in_their_own_organization(world, records, persona):
    """Every org-scoped route, with the persona's own organization's ids.

    One world per persona: each route runs in a savepoint that is rolled back afterwards, so
    a write by one route (a revocation, a deactivation) never changes what the next one sees.
    """
    own = records[PERSONAS[persona][0]]
    failures = []
    for target in targets(ORG_SCOPED):
        with transaction.atomic():
            problem = own_organization_problems(world, own, persona, target)
            transaction.set_rollback(True)
        if problem:
            failures.append(f"{target.label}: {problem}")
    assert not failures, f"{persona}:\n  " + "\n  ".join(failures)


def test_org_admin_sees_the_audit_trail_and_staff_but_a_peer_only_the_staff(world, as_persona):
    org = world.orgs["rco_a"].public_id
    admin, peer = as_persona("rco_a_admin"), as_persona("rco_a_peer")
    assert admin.get(f"/orgs/{org}/audit/").status_code == 200
    assert admin.get(f"/orgs/{org}/staff/").status_code == 200
    assert peer.get(f"/orgs/{org}/staff/").status_code == 200
    assert peer.get(f"/orgs/{org}/audit/").status_code == 404


# --- django-admin ----------------------------------------------------------------------------


def admin_paths(user_pk: int) -> list[tuple[str, str]]:
    values = {
        "object_id": str(user_pk),
        "id": str(user_pk),
        "pk": "1",
        "content_type_id": "1",
        "app_label": "accounts",
        "url": "nothing-here/",
    }
    found = []
    for r in django_routes():
        rule = rule_for(r)
        if rule is not None and rule.kind == ADMIN_SITE:
            path = fill(r.pattern, values)
            reached = resolve(path).route.replace("^", "")
            assert reached == r.pattern.replace("^", ""), f"{path} does not reach {r.pattern}"
            found.append((r.key, path))
    return found


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_django_admin_sends_everyone_but_superusers_to_its_login_page(world, persona):
    client = Client() if persona is None else sign_in(Client(), world, persona)
    shown = []
    for key, path in admin_paths(world.users["rco_a_admin"].pk):
        response = client.get(path)
        if path == ADMIN_LOGIN:
            assert response.status_code == 200
            assert b'id="login-form"' in response.content
            continue
        location = response.get("Location", "")
        # Logging out of the admin without being its user goes to the admin index first,
        # which itself sends to the admin login.
        if response.status_code != 302 or not (
            location.startswith(ADMIN_LOGIN) or location == "/django-admin/"
        ):
            shown.append(f"{key} {path}: {response.status_code} {location}")
    assert not shown, f"{persona} was not sent to the admin login:\n  " + "\n  ".join(shown)
    index = client.get("/django-admin/", follow=True)
    assert index.redirect_chain[-1][0].startswith(ADMIN_LOGIN)
    assert b"Site administration" not in index.content


def test_superuser_reaches_django_admin_only_after_the_second_factor(world):
    superuser = user_create(
        username="root_admin", email="root@example.org", password=None, is_superuser=True
    )
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client = Client()
    client.force_login(superuser)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/verify/")

    world.users["root_admin"] = superuser
    world.devices["root_admin"] = device
    sign_in(client, world, "root_admin")
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert b"Site administration" in response.content
