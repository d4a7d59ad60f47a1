from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from rosc.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="verify"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/two-factor/", views.two_factor_view, name="two_factor"),
    path("account/api-keys/", views.api_tokens_view, name="api_tokens"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:account"),
        ),
        name="password_change",
    ),
    path("account/switch/", views.switch_organization_view, name="switch"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invite/<uidb64>/<token>/", views.invite_accept_view, name="invite_accept"),
    path("orgs/<uuid:org_id>/staff/", views.staff_list_view, name="staff_list"),
    path("orgs/<uuid:org_id>/staff/invite/", views.staff_invite_view, name="staff_invite"),
    path(
        "orgs/<uuid:org_id>/staff/<uuid:membership_id>/",
        views.staff_detail_view,
        name="staff_detail",
    ),
    path(
        "orgs/<uuid:org_id>/staff/<uuid:membership_id>/deactivate/",
        views.staff_deactivate_view,
        name="staff_deactivate",
    ),
    path("orgs/<uuid:org_id>/audit/", views.audit_list_view, name="audit_list"),
    path("orgs/<uuid:org_id>/audit/export.csv", views.audit_export_view, name="audit_export"),
    path("orgs/<uuid:org_id>/audit/<uuid:event_id>/", views.audit_detail_view, name="audit_detail"),
    path("", views.home_view, name="home"),
]
