from django.urls import path

from rosc.referrals import contact_views, views

app_name = "referrals"

urlpatterns = [
    # The public contact-me form on directory listings (self-referrals; no sign-in).
    path(
        "find/organizations/<uuid:organization_id>/contact-me/",
        contact_views.contact_organization_view,
        name="contact_organization",
    ),
    path(
        "find/services/<uuid:service_id>/contact-me/",
        contact_views.contact_service_view,
        name="contact_service",
    ),
    path(
        "find/organizations/<uuid:organization_id>/contact-me/sent/",
        contact_views.contact_sent_view,
        name="contact_sent",
    ),
    # Referral pages (before "referrals/<referral_id>/", which would take these words as ids).
    path("participants/<uuid:participant_id>/referrals/new/", views.referral_new, name="new"),
    path("referrals/inbox/", views.referral_inbox, name="inbox"),
    path("referrals/sent/", views.referral_sent, name="sent"),
    path("referrals/notifications/", views.notification_list, name="notifications"),
    path("orgs/<uuid:org_id>/referral-settings/", views.referral_settings, name="settings"),
    path("referrals/<str:referral_id>/move/", views.referral_move, name="move"),
    path("referrals/<str:referral_id>/notes/", views.referral_note, name="note"),
    path("referrals/<str:referral_id>/enrol/", views.referral_enrol, name="enrol"),
    path("referrals/<str:referral_id>/", views.referral_detail, name="detail"),
]
