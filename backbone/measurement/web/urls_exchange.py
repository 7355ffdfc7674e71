"""URLs of the measurement pages: exchange. Included by backbone/measurement/web/urls.py."""

from django.urls import path

from . import views_dhis2_export, views_dhis2_import, views_dhis2_mappings, views_tokens

urlpatterns = [
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("dhis2/", views_dhis2_mappings.dhis2_mappings, name="dhis2"),
    path("dhis2/import/", views_dhis2_import.dhis2_import, name="dhis2_import"),
    path("dhis2/export/", views_dhis2_export.dhis2_export, name="dhis2_export"),
    # where DHIS2 sends a data value set: the target URL of its data exchange, plus /api/…
    path(
        "dhis2/api/dataValueSets",
        views_dhis2_import.dhis2_data_value_sets,
        name="dhis2_data_value_sets",
    ),
]
