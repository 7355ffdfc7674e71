from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "backbone.learning"
    verbose_name = "Learning and evaluation"
