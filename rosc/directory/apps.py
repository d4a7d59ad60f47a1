from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "rosc.directory"
    label = "directory"
    verbose_name = "Directory (Open Referral HSDS)"
