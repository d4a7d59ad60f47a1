from django.contrib import admin

from rosc.fidelity.models import CouncilAssessment, RcoAssessment


@admin.register(RcoAssessment)
class RcoAssessmentAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "submitted_at", "accepted_at", "all_met"]
    list_filter = ["status"]
    readonly_fields = ["public_id", "created_at"]


@admin.register(CouncilAssessment)
class CouncilAssessmentAdmin(admin.ModelAdmin):
    list_display = ["council", "assessed_on", "total"]
    readonly_fields = ["public_id", "created_at"]
