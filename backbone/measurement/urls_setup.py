"""URLs of the measurement pages: setup. Included by backbone/measurement/urls.py."""

from django.urls import path

from . import views_setup as views

urlpatterns: list = [
    path("", views.home, name="home"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<slug:code>/targets/", views.targets, name="targets"),
    path("indicators/<slug:code>/breaks/", views.series_breaks, name="series_breaks"),
    path("dimensions/", views.dimensions, name="dimensions"),
    path("dimensions/<slug:key>/", views.dimension_detail, name="dimension"),
    path("periods/", views.periods, name="periods"),
]
