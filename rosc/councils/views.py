"""Council pages: public ones (the network, a council, calendar feeds) and the coordinator's.

Thin views: parse, call a selector or service, render. The coordinator's pages need the
council's coordinator (COUNCIL_MANAGE in the host organization); a network administrator may
read the council and meeting pages. Everyone else gets the 404 a missing council gets.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rosc.accounts.actor import Actor, request_actor
from rosc.accounts.services import PermissionDenied
from rosc.core.ids import uuid_or_none
from rosc.core.models import AuditEvent
from rosc.councils import selectors, services
from rosc.councils.feeds import meetings_calendar
from rosc.councils.forms import (
    ActionItemForm,
    AgendaForm,
    AttendanceForm,
    MemberForm,
    MinutesForm,
    MinutesStatusForm,
    ScheduleForm,
    WhenForm,
    add_service_errors,
)
from rosc.councils.models import (
    MINUTES_TRANSITIONS,
    ActionItem,
    Council,
    MinutesStatus,
    Occurrence,
)

Action = AuditEvent.Action

# --- public pages --------------------------------------------------------------------------


def network(request: HttpRequest) -> HttpResponse:
    councils = list(selectors.public_councils())
    rows = [(c, selectors.next_meeting(c)) for c in councils]
    return render(
        request,
        "councils/network.html",
        {"rows": rows, "tile_url": settings.MAP_TILE_URL},
    )


def council_page(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.public_council(slug)
    return render(
        request,
        "councils/council.html",
        {
            "council": council,
            "counties": list(council.counties.all()),
            "upcoming": selectors.upcoming_meetings(council),
            "minutes": selectors.published_minutes(council),
            "feed_url": request.build_absolute_uri(
                reverse("councils:council_calendar", args=[council.slug])
            ),
        },
    )


def _ics(request: HttpRequest, series: Any, name: str, filename: str) -> HttpResponse:
    councils: dict[int, str] = {}
    series = list(series)
    for s in series:
        councils.setdefault(
            s.council_id,
            request.build_absolute_uri(reverse("councils:council", args=[s.council.slug])),
        )
    response = HttpResponse(
        meetings_calendar(series, name=name, url_of=councils),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def council_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.public_council(slug)
    return _ics(
        request,
        selectors.all_series().filter(council=council),
        f"{council.name} meetings",
        f"{council.slug}.ics",
    )


def network_calendar(request: HttpRequest) -> HttpResponse:
    return _ics(request, selectors.all_series(), "ROSC council meetings", "network.ics")


def member_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own feed: the meetings of their council, at a secret address (no login)."""
    member = selectors.member_by_feed_token(token)
    response = _ics(
        request,
        selectors.all_series().filter(council=member.council),
        f"{member.council.name} meetings",
        "my-council-meetings.ics",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the coordinator's pages ----------------------------------------------------------------


def _council(
    request: HttpRequest, council_id: UUID, *, manage: bool = True
) -> tuple[Actor, Council]:
    actor = request_actor(request)
    action = Action.UPDATE if request.method == "POST" else Action.VIEW
    return actor, selectors.council_get(
        actor=actor, council_id=council_id, manage=manage, action=action
    )


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request, "councils/manage_list.html", {"councils": selectors.managed_councils(actor=actor)}
    )


@login_required
def manage(request: HttpRequest, council_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id, manage=False)
    members = selectors.roster(actor=actor, council=council)
    today = timezone.localdate()
    series = list(selectors.all_series().filter(council=council))
    return render(
        request,
        "councils/manage.html",
        {
            "council": council,
            "can_manage": selectors.may_manage(actor, council),
            "members": members,
            "active_count": sum(1 for m in members if m.is_active_on(today)),
            "series": series,
            "upcoming": selectors.upcoming_meetings(council, limit=12),
            "new_feed": request.session.pop("council_feed_url", None),
        },
    )


def _member_fields(form: MemberForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        k: data[k]
        for k in (
            "name",
            "email",
            "organization",
            "sector",
            "council_role",
            "active_from",
            "active_to",
        )
    }


@login_required
def member_new(request: HttpRequest, council_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    form = MemberForm(request.POST or None, initial={"active_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.council_member_add(actor=actor, council=council, **_member_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['name']} is on the roster.")
            return redirect("councils:manage", council.public_id)
    return render(request, "councils/member_form.html", {"council": council, "form": form})


@login_required
def member_edit(request: HttpRequest, council_id: UUID, member_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    member = selectors.member_get(actor=actor, council=council, member_id=member_id)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_of(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.council_member_update(actor=actor, member=member, **_member_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{member.name}'s entry is saved.")
            return redirect("councils:manage", council.public_id)
    return render(
        request, "councils/member_form.html", {"council": council, "form": form, "member": member}
    )


@login_required
@require_POST
def member_feed(request: HttpRequest, council_id: UUID, member_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    member = selectors.member_get(actor=actor, council=council, member_id=member_id)
    if request.POST.get("action") == "revoke":
        services.council_member_feed_revoke(actor=actor, member=member)
        messages.success(request, f"{member.name}'s calendar address no longer works.")
    else:
        token = services.council_member_feed_issue(actor=actor, member=member)
        url = request.build_absolute_uri(reverse("councils:member_calendar", args=[token]))
        request.session["council_feed_url"] = {"name": member.name, "url": url}
        messages.success(
            request, f"A new calendar address for {member.name}; any earlier one stopped working."
        )
    return redirect("councils:manage", council.public_id)


def _schedule_args(form: ScheduleForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "title": d["title"],
        "rrule": d["rule"],
        "start_date": d["start_date"],
        "start_time": d["start_time"],
        "end_time": d["end_time"],
        "until": d.get("until"),
        "count": d.get("count"),
        "address": d.get("address", ""),
        "online_url": d.get("online_url", ""),
    }


@login_required
def schedule_new(request: HttpRequest, council_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    form = ScheduleForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_series_create(actor=actor, council=council, **_schedule_args(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The schedule is saved.")
            return redirect("councils:manage", council.public_id)
    return render(request, "councils/schedule_form.html", {"council": council, "form": form})


@login_required
def schedule_edit(request: HttpRequest, council_id: UUID, series_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    series = selectors.series_get(actor=actor, council=council, series_id=series_id)
    form = ScheduleForm(request.POST or None, initial=ScheduleForm.initial_of(series))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_series_update(actor=actor, series=series, **_schedule_args(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The schedule is saved.")
            return redirect("councils:manage", council.public_id)
    return render(
        request,
        "councils/schedule_form.html",
        {"council": council, "form": form, "series": series},
    )


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def schedule_date(request: HttpRequest, council_id: UUID, series_id: UUID) -> HttpResponse:
    """One date of the rule: open its meeting page, cancel it, or restore it."""
    actor, council = _council(request, council_id)
    series = selectors.series_get(actor=actor, council=council, series_id=series_id)
    day = _parse_date(request.POST.get("date", ""))
    action = request.POST.get("action", "")
    if day is None or action not in ("open", "cancel", "restore"):
        messages.error(request, "Choose a date of the schedule.")
        return redirect("councils:manage", council.public_id)
    try:
        occurrence = services.occurrence_open(actor=actor, series=series, recurrence_date=day)
    except ValidationError:
        messages.error(request, f"The schedule has no meeting on {day:%B %-d, %Y}.")
        return redirect("councils:manage", council.public_id)
    if action == "open":
        return redirect("councils:meeting", council.public_id, occurrence.public_id)
    services.occurrence_cancel(actor=actor, occurrence=occurrence, cancelled=action == "cancel")
    done = "cancelled" if action == "cancel" else "back on the schedule"
    messages.success(request, f"The meeting of {day:%B %-d, %Y} is {done}.")
    return redirect("councils:manage", council.public_id)


def _when(council: Council, form: WhenForm) -> tuple[datetime, datetime]:
    d = form.cleaned_data
    tz = council.tz
    return (
        datetime.combine(d["date"], d["start_time"], tzinfo=tz),
        datetime.combine(d["date"], d["end_time"], tzinfo=tz),
    )


@login_required
def schedule_extra(request: HttpRequest, council_id: UUID, series_id: UUID) -> HttpResponse:
    actor, council = _council(request, council_id)
    series = selectors.series_get(actor=actor, council=council, series_id=series_id)
    form = WhenForm(
        request.POST or None,
        initial={"start_time": series.start_time, "end_time": series.end_time},
    )
    if request.method == "POST" and form.is_valid():
        start, end = _when(council, form)
        occurrence = services.occurrence_add_extra(
            actor=actor,
            series=series,
            starts_at=start,
            ends_at=end,
            address=form.cleaned_data["address"],
            online_url=form.cleaned_data["online_url"],
        )
        messages.success(request, f"An extra meeting on {start:%B %-d, %Y} is on the schedule.")
        return redirect("councils:meeting", council.public_id, occurrence.public_id)
    return render(
        request,
        "councils/when_form.html",
        {"council": council, "series": series, "form": form, "extra": True},
    )


MEETING_ACTIONS = (
    "agenda",
    "attendance",
    "minutes",
    "minutes_status",
    "action_add",
    "action_done",
    "move",
    "cancel",
    "restore",
)


@login_required
def meeting(request: HttpRequest, council_id: UUID, meeting_id: UUID) -> HttpResponse:
    """One meeting: agenda, attendance, minutes, action items (and those carried over)."""
    manage_needed = request.method == "POST"
    actor, council = _council(request, council_id, manage=manage_needed)
    occurrence = selectors.occurrence_get(
        actor=actor, council=council, meeting_id=meeting_id, manage=manage_needed
    )
    can_manage = selectors.may_manage(actor, council)
    members = council.members.order_by("name")
    start = occurrence.start_local
    forms: dict[str, Any] = {
        "agenda": AgendaForm(initial={"agenda": occurrence.agenda}),
        "attendance": AttendanceForm(
            members=members,
            initial={
                "members": [m.public_id for m in occurrence.attendees.all()],
                "guests": occurrence.guests,
            },
        ),
        "minutes": MinutesForm(initial={"minutes": occurrence.minutes}),
        "action_add": ActionItemForm(members=members),
        "move": WhenForm(
            initial={
                "date": start.date(),
                "start_time": start.time(),
                "end_time": occurrence.end_local.time(),
                "address": occurrence.address,
                "online_url": occurrence.online_url,
            }
        ),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in MEETING_ACTIONS:
            messages.error(request, "Choose what to save.")
            return redirect("councils:meeting", council.public_id, occurrence.public_id)
        done = _meeting_post(request, actor, occurrence, action, forms, members)
        if done is not None:
            messages.success(request, done)
            return redirect("councils:meeting", council.public_id, occurrence.public_id)
    return render(
        request,
        "councils/meeting.html",
        {
            "council": council,
            "occurrence": occurrence,
            "start": start,
            "end": occurrence.end_local,
            "can_manage": can_manage,
            "forms": forms,
            "attendees": list(occurrence.attendees.order_by("name")),
            "actions": list(occurrence.actions.select_related("owner")),
            "carried": selectors.open_actions_before(occurrence),
            "minutes_moves": MINUTES_TRANSITIONS.get(occurrence.minutes_status, ()),
            "MinutesStatus": MinutesStatus,
        },
    )


def _meeting_post(
    request: HttpRequest,
    actor: Actor,
    occurrence: Occurrence,
    action: str,
    forms: dict[str, Any],
    members: Any,
) -> str | None:
    """Apply one form of the meeting page; the message to show, or None (errors shown)."""
    post = request.POST
    council = occurrence.series.council
    form: Any
    try:
        if action == "agenda":
            form = forms["agenda"] = AgendaForm(post)
            if form.is_valid():
                services.occurrence_agenda_save(
                    actor=actor, occurrence=occurrence, agenda=form.cleaned_data["agenda"]
                )
                return "The agenda is saved."
        elif action == "attendance":
            form = forms["attendance"] = AttendanceForm(post, members=members)
            if form.is_valid():
                services.occurrence_attendance_save(
                    actor=actor,
                    occurrence=occurrence,
                    members=list(form.cleaned_data["members"]),
                    guests=form.cleaned_data["guests"],
                )
                return "Attendance is saved."
        elif action == "minutes":
            form = forms["minutes"] = MinutesForm(post)
            if form.is_valid():
                services.minutes_save(
                    actor=actor, occurrence=occurrence, minutes=form.cleaned_data["minutes"]
                )
                return "The minutes are saved."
        elif action == "minutes_status":
            form = MinutesStatusForm(post)
            if form.is_valid():
                status = form.cleaned_data["status"]
                services.minutes_move(actor=actor, occurrence=occurrence, status=status)
                return f"The minutes are {MinutesStatus(status).label.lower()}."
            messages.error(request, "Choose what happens to the minutes.")
            return None
        elif action == "action_add":
            form = forms["action_add"] = ActionItemForm(post, members=members)
            if form.is_valid():
                services.action_item_add(actor=actor, occurrence=occurrence, **form.cleaned_data)
                return "The action item is added."
        elif action == "action_done":
            item_id = uuid_or_none(post.get("item", ""))
            items = ActionItem.objects.filter(occurrence__series__council=council)
            item = items.filter(public_id=item_id).first() if item_id else None
            if item is None:
                messages.error(request, "That action item is not on this council's list.")
                return None
            services.action_item_close(actor=actor, item=item, done_on=timezone.localdate())
            return "The action item is done."
        elif action == "move":
            form = forms["move"] = WhenForm(post)
            if form.is_valid():
                start, end = _when(council, form)
                services.occurrence_move(
                    actor=actor,
                    occurrence=occurrence,
                    starts_at=start,
                    ends_at=end,
                    address=form.cleaned_data["address"],
                    online_url=form.cleaned_data["online_url"],
                )
                return f"The meeting is now on {start:%B %-d, %Y at %H:%M}."
        elif action in ("cancel", "restore"):
            services.occurrence_cancel(
                actor=actor, occurrence=occurrence, cancelled=action == "cancel"
            )
            return "The meeting is cancelled." if action == "cancel" else "The meeting is back on."
    except ValidationError as exc:
        target = forms.get(action)
        if target is not None and target.is_bound:
            add_service_errors(target, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        return None
    except PermissionDenied as exc:
        raise Http404("Not found") from exc
    return None
