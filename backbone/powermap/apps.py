from django.apps import AppConfig


class PowermapConfig(AppConfig):
    name = "backbone.powermap"
    verbose_name = "Power map"
