from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "backbone.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives, organisations and partners"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the receivers)
