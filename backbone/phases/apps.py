from django.apps import AppConfig


class PhasesConfig(AppConfig):
    name = "backbone.phases"
    verbose_name = "Phase tracker"
