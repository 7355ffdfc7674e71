from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "backbone.communication"
    verbose_name = "Continuous communication"
