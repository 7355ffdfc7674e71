"""URLs of the measurement pages: setup. Included by backbone/measurement/urls.py."""

urlpatterns: list = []
