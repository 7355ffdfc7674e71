from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "backbone.audit"
    verbose_name = "Audit trail"
