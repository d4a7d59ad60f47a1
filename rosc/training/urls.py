from django.urls import path

from rosc.training import views

app_name = "training"

urlpatterns = [
    # Public: the course calendar, a session's page, certificate verification.
    path("training/", views.calendar_view, name="calendar"),
    path("training/sessions/<uuid:training_session_id>/", views.session_view, name="session"),
    path("training/verify/", views.verify_lookup_view, name="verify_lookup"),
    path("training/verify/<str:certificate_code>/", views.verify_view, name="verify"),
    # Any signed-in staff member.
    path("training/mine/", views.mine_view, name="mine"),
    path("training/enrol/", views.enrol_view, name="enrol"),
    path("training/withdraw/", views.withdraw_view, name="withdraw"),
    path(
        "training/certificates/<uuid:enrolment_id>/",
        views.certificate_view,
        name="certificate",
    ),
    # The staff of a session's hosts.
    path("training/sessions/<uuid:training_session_id>/roster/", views.roster_view, name="roster"),
    # The course's organization (Perm.TRAINING_MANAGE).
    path("training/courses/", views.courses_view, name="courses"),
    path("training/courses/new/", views.course_new_view, name="course_new"),
    path("training/courses/<uuid:course_id>/edit/", views.course_edit_view, name="course_edit"),
    path(
        "training/courses/<uuid:course_id>/sessions/new/",
        views.session_new_view,
        name="session_new",
    ),
    path(
        "training/sessions/<uuid:training_session_id>/edit/",
        views.session_edit_view,
        name="session_edit",
    ),
    # The organization's admin.
    path("training/report/", views.report_view, name="report"),
    path("training/report.csv", views.report_csv_view, name="report_csv"),
]
