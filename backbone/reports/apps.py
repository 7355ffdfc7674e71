from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "backbone.reports"
    verbose_name = "Funder progress reports"
