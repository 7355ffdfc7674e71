"""Collective impact health lives under /i/<initiative>/health/."""

from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path("", views.health, name="overview"),
    path("settings/", views.alert_settings, name="settings"),
]
