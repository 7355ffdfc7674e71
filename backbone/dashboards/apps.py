from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "backbone.dashboards"
    verbose_name = "Dashboards"
