"""URLs of the measurement pages: files. Included by backbone/measurement/web/urls.py."""

from django.urls import path

from . import views_files as views

urlpatterns: list = [
    path("files/template/", views.template, name="template"),
    path("files/upload/", views.upload, name="upload"),
    path("files/export/", views.export, name="export"),
]
