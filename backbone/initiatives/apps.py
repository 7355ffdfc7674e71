from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "backbone.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives, organisations and partners"
