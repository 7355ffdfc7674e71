"""Webhooks live under /i/<initiative>/webhooks/."""

from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscriptions, name="subscriptions"),
    path("<uuid:uuid>/delete/", views.subscription_delete, name="delete"),
    path("<uuid:uuid>/rotate/", views.subscription_rotate, name="rotate"),
    path("<uuid:uuid>/active/", views.subscription_active, name="active"),
    path("deliveries/<uuid:uuid>/resend/", views.delivery_resend, name="resend"),
]
