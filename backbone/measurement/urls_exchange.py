"""URLs of the measurement pages: exchange. Included by backbone/measurement/urls.py."""

from django.urls import path

from . import views_exchange as views

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("dhis2/", views.dhis2_mappings, name="dhis2"),
    path("dhis2/import/", views.dhis2_import, name="dhis2_import"),
    path("dhis2/export/", views.dhis2_export, name="dhis2_export"),
]
