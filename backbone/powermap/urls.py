"""Power map live under /i/<initiative>/power-map/."""

from django.urls import path  # noqa: F401

app_name = "powermap"
urlpatterns: list = []
