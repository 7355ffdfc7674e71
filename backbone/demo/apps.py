from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "backbone.demo"
    label = "demo"
    verbose_name = "Demo initiative"
