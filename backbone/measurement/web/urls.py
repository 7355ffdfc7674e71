"""All measurement pages live under /i/<initiative>/measurement/, in one namespace."""

from . import urls_exchange, urls_files, urls_reporting, urls_setup

app_name = "measurement"
urlpatterns = [
    *urls_setup.urlpatterns,
    *urls_reporting.urlpatterns,
    *urls_files.urlpatterns,
    *urls_exchange.urlpatterns,
]
