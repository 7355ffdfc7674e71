from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "backbone.decisions"
    verbose_name = "Structured decisions"
