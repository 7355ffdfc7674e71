"""URLs of the measurement pages: setup. Included by backbone/measurement/web/urls.py."""

from django.urls import path

from . import views_setup as views
from . import views_setup_groups, views_setup_periods

urlpatterns: list = [
    path("", views.home, name="home"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<slug:code>/targets/", views.targets, name="targets"),
    path("indicators/<slug:code>/breaks/", views.series_breaks, name="series_breaks"),
    path("dimensions/", views_setup_groups.dimensions, name="dimensions"),
    path("dimensions/<slug:key>/", views_setup_groups.dimension_detail, name="dimension"),
    path("periods/", views_setup_periods.periods, name="periods"),
]
