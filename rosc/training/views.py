"""Thin views of the training pages: parse, call a selector or service, render."""

import csv
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rosc.accounts.actor import request_actor
from rosc.accounts.models import Membership
from rosc.accounts.roles import Perm
from rosc.accounts.services import PermissionDenied
from rosc.core.ids import uuid_or_none
from rosc.training import selectors, services
from rosc.training.forms import CourseForm, PeriodForm, SessionForm, colleague_field
from rosc.training.models import Attendance, Enrolment, Session, SessionStatus


def _today(request: HttpRequest) -> date:
    """Today in the active organization's time zone (the site's when there is none)."""
    actor = getattr(request, "actor", None)
    org = actor.organization if actor is not None else None
    zone = ZoneInfo(org.time_zone) if org else timezone.get_current_timezone()
    return timezone.localdate(timezone=zone)


# --- public ----------------------------------------------------------------------------------


def calendar_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/calendar.html", {"sessions": list(selectors.upcoming_sessions()[:200])}
    )


def session_view(request: HttpRequest, training_session_id: UUID) -> HttpResponse:
    session = selectors.public_session(training_session_id)
    if session is None:
        raise Http404
    actor = getattr(request, "actor", None)
    context: dict[str, Any] = {
        "session": session,
        "hosts": list(session.hosts.all()),
        "seats_left": selectors.seats_left(session),
        "can_enrol": session.status == SessionStatus.OPEN and session.ends_at > timezone.now(),
    }
    if actor is not None and actor.organization is not None:
        context["mine"] = selectors.own_enrolment_in(actor.user, session)
        context["is_host"] = services.is_host(actor, session)
        context["is_owner"] = (
            actor.can(Perm.TRAINING_MANAGE)
            and session.course.organization_id == actor.organization.pk
        )
        if actor.can(Perm.STAFF_MANAGE):
            context["colleague"] = forms.Form()
            context["colleague"].fields["person"] = colleague_field(actor.organization)
    return render(request, "training/session.html", context)


def verify_lookup_view(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect("training:verify", certificate_code=code)
    return render(request, "training/verify_lookup.html")


def verify_view(request: HttpRequest, certificate_code: str) -> HttpResponse:
    enrolment = selectors.enrolment_verified(certificate_code)
    return render(
        request,
        "training/verify.html",
        {"enrolment": enrolment, "code": certificate_code.upper()},
        status=200 if enrolment else 404,
    )


# --- any signed-in staff member ----------------------------------------------------------------


@login_required
@require_POST
def enrol_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    session_id = uuid_or_none(request.POST.get("session"))
    session = Session.objects.filter(public_id=session_id).first() if session_id else None
    if session is None:
        messages.error(request, "Choose a session to enrol in.")
        return redirect("training:calendar")
    person = None
    if request.POST.get("person"):
        wanted = uuid_or_none(request.POST.get("person"))
        person = (
            Membership.objects.filter(public_id=wanted, organization=actor.organization)
            .select_related("user")
            .first()
            if wanted and actor.organization
            else None
        )
        if person is None:
            messages.error(request, "Choose a colleague of your organization.")
            return redirect("training:session", training_session_id=session.public_id)
    try:
        enrolment = services.enrolment_create(actor=actor, session=session, person=person)
    except PermissionDenied:
        messages.error(request, "You cannot enrol that person.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        who = "You are" if person is None else f"{enrolment.person_name} is"
        messages.success(request, f"{who} enrolled in {session.course.title}.")
    return redirect("training:session", training_session_id=session.public_id)


@login_required
@require_POST
def withdraw_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    enrolment_id = uuid_or_none(request.POST.get("enrolment"))
    enrolment = (
        Enrolment.objects.select_related("session", "organization")
        .filter(public_id=enrolment_id)
        .first()
        if enrolment_id
        else None
    )
    if enrolment is None:
        messages.error(request, "That enrolment was not found.")
        return redirect("training:mine")
    try:
        services.enrolment_withdraw(actor=actor, enrolment=enrolment)
    except PermissionDenied:
        messages.error(request, "That enrolment was not found.")
        return redirect("training:mine")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Withdrawn from {enrolment.session.course.title}.")
    return redirect("training:session", training_session_id=enrolment.session.public_id)


@login_required
def mine_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    today = _today(request)
    form = PeriodForm(request.GET, today=today)
    start, end = form.period(today)
    record = selectors.my_training(user=actor.user, start=start, end=end)
    return render(
        request,
        "training/mine.html",
        {
            "form": form,
            "record": record,
            "upcoming": selectors.my_upcoming(user=actor.user),
        },
    )


# --- certificate -----------------------------------------------------------------------------


@login_required
def certificate_view(request: HttpRequest, enrolment_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    enrolment = selectors.certificate_get(actor=actor, enrolment_id=enrolment_id)
    return render(
        request,
        "training/certificate.html",
        {
            "enrolment": enrolment,
            "hosts": list(enrolment.session.hosts.all()),
            "verify_url": request.build_absolute_uri(
                reverse("training:verify", args=[enrolment.verification_code])
            ),
        },
    )


# --- hosts: roster and attendance --------------------------------------------------------------


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label="Attendance", choices=Attendance.choices)
    hours_attended = forms.DecimalField(
        label="Hours attended (if part)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
    )

    def changed_from(self, enrolment: Enrolment) -> bool:
        d = self.cleaned_data
        if d["attendance"] != enrolment.attendance:
            return True
        return d["attendance"] == Attendance.PARTIAL and d["hours_attended"] != (
            enrolment.hours_attended
        )


class GuestForm(forms.Form):
    name = forms.CharField(label="Guest's name", max_length=200)
    email = forms.EmailField(label="Guest's e-mail address")


@login_required
def roster_view(request: HttpRequest, training_session_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    session, enrolments = selectors.host_session(actor=actor, session_id=training_session_id)
    adding_guest = request.method == "POST" and "add_guest" in request.POST
    guest_form = GuestForm(request.POST if adding_guest else None, prefix="guest")
    if adding_guest and guest_form.is_valid():
        try:
            services.guest_enrol(
                actor=actor,
                session=session,
                name=guest_form.cleaned_data["name"],
                email=guest_form.cleaned_data["email"],
            )
        except ValidationError as exc:
            _add_errors(guest_form, exc)
        else:
            messages.success(request, f"{guest_form.cleaned_data['name']} is enrolled.")
            return redirect("training:roster", training_session_id=session.public_id)
    rows = []
    for e in enrolments:
        initial = {"attendance": e.attendance, "hours_attended": e.hours_attended}
        form = AttendanceForm(
            request.POST if request.method == "POST" and not adding_guest else None,
            prefix=str(e.public_id),
            initial=initial,
        )
        rows.append((e, form))
    if request.method == "POST" and not adding_guest and rows:
        valid = all(form.is_valid() for _e, form in rows)
        if valid and _record_all(actor, rows):
            messages.success(request, "Attendance saved.")
            return redirect("training:roster", training_session_id=session.public_id)
    return render(
        request,
        "training/roster.html",
        {
            "session": session,
            "rows": rows,
            "any_errors": any(form.errors for _e, form in rows),
            "started": session.starts_at <= timezone.now(),
            "guest_form": guest_form,
        },
    )


def _record_all(actor: Any, rows: list[tuple[Enrolment, AttendanceForm]]) -> bool:
    """Save every changed row, or none of them when one is refused (errors by the row)."""
    ok = True
    with transaction.atomic():
        for enrolment, form in rows:
            if not form.changed_from(enrolment) or enrolment.user_id == actor.user.pk:
                continue
            try:
                services.attendance_record(
                    actor=actor,
                    enrolment=enrolment,
                    attendance=form.cleaned_data["attendance"],
                    hours_attended=form.cleaned_data["hours_attended"],
                )
            except PermissionDenied:
                form.add_error(None, "You cannot record this person's attendance.")
                ok = False
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    target = name if name in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
                ok = False
        if not ok:
            transaction.set_rollback(True)
    return ok


# --- course owners ---------------------------------------------------------------------------


@login_required
def courses_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    org, courses = selectors.course_list(actor=actor)
    return render(request, "training/courses.html", {"org": org, "courses": courses})


@login_required
def course_new_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.managed_organization(actor=actor)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=actor, **form.service_arguments())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Course “{course.title}” saved. Now offer it on a date.")
            return redirect("training:session_new", course_id=course.public_id)
    return render(request, "training/course_form.html", {"form": form, "org": org})


@login_required
def course_edit_view(request: HttpRequest, course_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    course = selectors.managed_course(actor=actor, course_id=course_id)
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=actor, course=course, **form.service_arguments())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Course saved.")
            return redirect("training:courses")
    return render(
        request,
        "training/course_form.html",
        {"form": form, "course": course, "org": course.organization},
    )


@login_required
def session_new_view(request: HttpRequest, course_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    course = selectors.managed_course(actor=actor, course_id=course_id)
    form = SessionForm(request.POST or None, owner=course.organization)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=actor, course=course, data=form.session_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Session saved.")
            return redirect("training:session", training_session_id=session.public_id)
    return render(request, "training/session_form.html", {"form": form, "course": course})


@login_required
def session_edit_view(request: HttpRequest, training_session_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    session = selectors.managed_session(actor=actor, session_id=training_session_id)
    form = SessionForm(request.POST or None, owner=session.course.organization, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=actor, session=session, data=form.session_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Session saved.")
            return redirect("training:session", training_session_id=session.public_id)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "course": session.course, "session": session},
    )


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)


# --- the organization's report ---------------------------------------------------------------


@login_required
def report_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    today = _today(request)
    form = PeriodForm(request.GET, today=today)
    start, end = form.period(today)
    report = selectors.organization_report(actor=actor, start=start, end=end)
    return render(request, "training/report.html", {"form": form, "report": report})


@login_required
def report_csv_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    today = _today(request)
    form = PeriodForm(request.GET, today=today)
    start, end = form.period(today)
    report = selectors.organization_report(actor=actor, start=start, end=end, export=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="training-{report.organization.slug}-{start}-{end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["Name", "E-mail", "Role", *[c.name for c in report.categories], "Total hours"])
    for row in report.rows:
        writer.writerow(
            [
                _cell(row.name),
                _cell(row.email),
                row.role,
                *map(_hours, row.hours),
                _hours(row.total),
            ]
        )
    return response


def _hours(value: Decimal) -> str:
    return f"{value:.2f}"


def _cell(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
