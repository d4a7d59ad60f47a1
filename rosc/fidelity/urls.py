from django.urls import path

from rosc.fidelity import views

app_name = "fidelity"

urlpatterns = [
    # An RCO's own self-assessments against the ten national standards.
    path("orgs/<uuid:org_id>/rco-standards/", views.rco_list, name="rco_list"),
    path("orgs/<uuid:org_id>/rco-standards/start/", views.rco_start, name="rco_start"),
    path(
        "orgs/<uuid:org_id>/rco-standards/<uuid:rco_assessment_id>/",
        views.rco_detail,
        name="rco_detail",
    ),
    path(
        "orgs/<uuid:org_id>/rco-standards/<uuid:rco_assessment_id>/edit/",
        views.rco_edit,
        name="rco_edit",
    ),
    # The network's review (network-wide: a network administrator).
    path("fidelity/review/", views.review_queue, name="review_queue"),
    path("fidelity/review/<uuid:rco_assessment_id>/", views.review_detail, name="review_detail"),
    # Council self-assessments against the seventeen ROSC elements.
    path("orgs/<uuid:org_id>/rosc-self-assessment/", views.council_list, name="council_list"),
    path("orgs/<uuid:org_id>/rosc-self-assessment/new/", views.council_new, name="council_new"),
    path(
        "orgs/<uuid:org_id>/rosc-self-assessment/<uuid:council_assessment_id>/",
        views.council_detail,
        name="council_detail",
    ),
    path("fidelity/councils/", views.network_councils, name="network_councils"),
]
