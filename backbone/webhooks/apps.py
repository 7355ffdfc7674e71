from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "backbone.webhooks"
    verbose_name = "Webhooks"
