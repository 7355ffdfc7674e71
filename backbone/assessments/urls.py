"""Assessments live under /i/<initiative>/assessments/."""

from django.urls import path  # noqa: F401

app_name = "assessments"
urlpatterns: list = []
