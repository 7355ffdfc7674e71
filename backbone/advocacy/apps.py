from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "backbone.advocacy"
    verbose_name = "Policy agenda and public will"
