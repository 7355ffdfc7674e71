from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    name = "backbone.measurement"
    label = "measurement"
    verbose_name = "Shared measurement"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from .exact import on_connection_created, register

        # Every SQLite connection gets the exact sum the aggregation engine adds with, those
        # opened before the apps were ready too.
        connection_created.connect(on_connection_created, dispatch_uid="measurement-exact-sum")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register(connection)
