from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "rosc.directory"
    label = "directory"
    verbose_name = "Directory (Open Referral HSDS)"

    def ready(self) -> None:
        from rosc.core.startup import warm_up
        from rosc.directory.places import zip_index
        from rosc.directory.search_index import connect_signals

        connect_signals()
        warm_up(zip_index)  # a server reads the ZIP-code table before its first search
