from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "backbone.measurement"
    label = "measurement"
    verbose_name = "Shared measurement"
