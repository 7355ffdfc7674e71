from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "backbone.notifications"
    verbose_name = "Notifications"
