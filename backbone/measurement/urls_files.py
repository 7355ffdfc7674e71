"""URLs of the measurement pages: files. Included by backbone/measurement/urls.py."""

urlpatterns: list = []
