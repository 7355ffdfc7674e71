"""Collective impact health live under /i/<initiative>/health/."""

from django.urls import path  # noqa: F401

app_name = "health"
urlpatterns: list = []
