from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backbone.accounts"
    label = "accounts"
    verbose_name = "People and sign-in"
