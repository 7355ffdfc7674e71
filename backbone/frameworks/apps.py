from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "backbone.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"
