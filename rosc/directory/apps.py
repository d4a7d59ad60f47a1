from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "rosc.directory"
    label = "directory"
    verbose_name = "Directory (Open Referral HSDS)"

    def ready(self) -> None:
        from rosc.directory.search_index import connect_signals

        connect_signals()
