"""Structured decisions live under /i/<initiative>/decisions/."""

from django.urls import path  # noqa: F401

app_name = "decisions"
urlpatterns: list = []
