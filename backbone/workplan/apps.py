from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "backbone.workplan"
    verbose_name = "The backbone's work plan and funding"
