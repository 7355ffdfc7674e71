"""Activity pages live under /i/<initiative>/activities/."""

from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.four_w, name="list"),
    path("export.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("alignment/", views.alignment, name="alignment"),
    path("new/", views.create, name="create"),
    path("<uuid:activity>/", views.detail, name="detail"),
    path("<uuid:activity>/edit/", views.edit, name="edit"),
    path("<uuid:activity>/delete/", views.delete, name="delete"),
]
