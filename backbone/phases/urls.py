"""Phase tracker live under /i/<initiative>/phases/."""

from django.urls import path

from . import views

app_name = "phases"
urlpatterns = [
    path("", views.grid, name="grid"),
    path("<slug:phase>/<slug:component>/", views.cell, name="cell"),
    path("<slug:phase>/<slug:component>/edit/", views.cell_edit, name="cell_edit"),
]
