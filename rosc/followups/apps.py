from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "rosc.followups"
    label = "followups"
    verbose_name = "Follow-ups and discharge"
