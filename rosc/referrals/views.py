"""Referral pages: thin views over rosc.referrals.services and selectors."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rosc.accounts.actor import request_actor
from rosc.referrals.selectors import referral_get


@login_required
def referral_detail(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral, side = referral_get(actor=request_actor(request), referral_id=referral_id)
    return render(request, "referrals/referral_detail.html", {"referral": referral, "side": side})
