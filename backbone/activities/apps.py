from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "backbone.activities"
    verbose_name = "Mutually reinforcing activities"
