from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "backbone.updates"
    verbose_name = "Updates and digests"
