"""Phase tracker live under /i/<initiative>/phases/."""

from django.urls import path  # noqa: F401

app_name = "phases"
urlpatterns: list = []
