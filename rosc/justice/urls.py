from django.urls import URLPattern, URLResolver, path

from rosc.justice import views

app_name = "justice"

urlpatterns: list[URLPattern | URLResolver] = [
    # Sending: a jail's reentry referral, a court's diversion referral, about their own person.
    path(
        "participants/<uuid:participant_id>/reentry/new/",
        views.reentry_new_view,
        name="reentry_new",
    ),
    path(
        "participants/<uuid:participant_id>/diversion/new/",
        views.diversion_new_view,
        name="diversion_new",
    ),
    # Reentry: both sides' lists and pages; the RCO's checklist and contacts.
    path("reentry/", views.reentry_list_view, name="reentry_list"),
    path("reentry/<uuid:reentry_id>/", views.reentry_detail_view, name="reentry_detail"),
    path("reentry/<uuid:reentry_id>/release/", views.reentry_release_view, name="reentry_release"),
    path(
        "reentry/<uuid:reentry_id>/checklist/",
        views.reentry_checklist_view,
        name="reentry_checklist",
    ),
    path("reentry/<uuid:reentry_id>/contacts/", views.reentry_contact_view, name="reentry_contact"),
    # Diversion: the court's portal (and the RCO's list of referrals it reports on).
    path("court/", views.court_view, name="court"),
    path("court/reports/run/", views.reports_run_view, name="reports_run"),
    path(
        "court/diversion/<uuid:diversion_id>/", views.diversion_detail_view, name="diversion_detail"
    ),
    path(
        "court/diversion/<uuid:diversion_id>/report/",
        views.report_send_view,
        name="report_send",
    ),
    path("court/reports/<uuid:report_id>/", views.report_detail_view, name="report_detail"),
]
