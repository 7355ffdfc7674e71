from django.apps import AppConfig


class CompletenessConfig(AppConfig):
    """What a partner owes and has reported: part of shared measurement, its own app so its
    tables and migrations keep the label they were made under."""

    name = "backbone.measurement.completeness"
    label = "completeness"
    verbose_name = "Reporting completeness"
