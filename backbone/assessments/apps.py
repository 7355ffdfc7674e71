from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "backbone.assessments"
    verbose_name = "Assessments"
