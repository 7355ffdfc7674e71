from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "backbone.web"
    label = "web"
    verbose_name = "Pages"
