from django.urls import path

from rosc.referrals import views

app_name = "referrals"

urlpatterns = [
    path("referrals/<str:referral_id>/", views.referral_detail, name="detail"),
]
