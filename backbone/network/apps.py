from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "backbone.network"
    verbose_name = "Partner network"
