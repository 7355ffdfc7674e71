"""The power map lives under /i/<initiative>/power-map/."""

from django.urls import path

from . import views

app_name = "powermap"
urlpatterns = [
    path("", views.power_map, name="map"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<uuid:uuid>/", views.stakeholder, name="stakeholder"),
    path("stakeholders/<uuid:uuid>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<uuid:uuid>/delete/", views.stakeholder_delete, name="stakeholder_delete"),
    path("seats/", views.seats, name="seats"),
    path("seats/bodies/new/", views.body_create, name="body_create"),
    path("seats/bodies/<uuid:uuid>/edit/", views.body_edit, name="body_edit"),
    path("seats/bodies/<uuid:uuid>/seats/new/", views.seat_create, name="seat_create"),
    path("seats/<uuid:uuid>/edit/", views.seat_edit, name="seat_edit"),
]
