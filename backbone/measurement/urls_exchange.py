"""URLs of the measurement pages: exchange. Included by backbone/measurement/urls.py."""

urlpatterns: list = []
