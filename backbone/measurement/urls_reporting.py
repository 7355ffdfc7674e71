"""URLs of the measurement pages: reporting. Included by backbone/measurement/urls.py."""

urlpatterns: list = []
