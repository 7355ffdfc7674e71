from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "backbone.archive"
    label = "archive"
    verbose_name = "Archive: an initiative exported and imported whole"
