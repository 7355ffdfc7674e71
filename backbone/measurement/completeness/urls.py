"""Completeness pages live under /i/<initiative>/completeness/.

The set-up page has two path segments so that it never shadows an organisation's page."""

from django.urls import path

from . import views

app_name = "completeness"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("setup/assignments/", views.assignments, name="assignments"),
    path("<slug:organisation>/", views.partner, name="partner"),
]
