from django.urls import path

from rosc.consent import views

app_name = "consent"

urlpatterns = [
    path("participants/<uuid:participant_id>/consents/new/", views.consent_new_view, name="new"),
    path(
        "participants/<uuid:participant_id>/consents/<uuid:consent_id>/",
        views.consent_detail_view,
        name="detail",
    ),
    path(
        "participants/<uuid:participant_id>/consents/<uuid:consent_id>/print/",
        views.consent_print_view,
        name="print",
    ),
    path(
        "participants/<uuid:participant_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke_view,
        name="revoke",
    ),
    path(
        "participants/<uuid:participant_id>/disclosures/",
        views.disclosure_list_view,
        name="disclosures",
    ),
    path(
        "participants/<uuid:participant_id>/consents/signing/<uuid:request_id>/",
        views.signing_request_view,
        name="signing",
    ),
    path(
        "participants/<uuid:participant_id>/consents/signing/<uuid:request_id>/cancel/",
        views.signing_request_cancel_view,
        name="signing_cancel",
    ),
    # The person's own device: no account, a one-time link.
    path("consent/sign/<str:token>/", views.consent_sign_view, name="sign"),
]
