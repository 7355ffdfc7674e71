from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "backbone.agenda"
    label = "agenda"
    verbose_name = "Common agenda"
