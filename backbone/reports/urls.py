"""Funder progress reports live under /i/<initiative>/reports/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<uuid:uuid>/", views.report_detail, name="detail"),
    path("<uuid:uuid>/pdf/", views.report_pdf, name="pdf"),
    path("<uuid:uuid>/edit/", views.report_edit, name="edit"),
    path("<uuid:uuid>/delete/", views.report_delete, name="delete"),
]
