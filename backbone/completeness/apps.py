from django.apps import AppConfig


class CompletenessConfig(AppConfig):
    name = "backbone.completeness"
    verbose_name = "Reporting completeness"
