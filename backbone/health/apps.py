from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "backbone.health"
    verbose_name = "Collective impact health"
