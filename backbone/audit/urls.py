"""The audit trail lives under /i/<initiative>/audit/."""

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("", views.events, name="events")]
