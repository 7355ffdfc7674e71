"""Dashboard pages live under /i/<initiative>/scorecard/."""

from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.scorecard_view, name="scorecard"),
    path("export.csv", views.scorecard_export, name="export"),
    path("public/", views.public_scorecard, name="public"),
    path("public/export.csv", views.public_export, name="public_export"),
    path("embed/", views.embed, name="embed"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path(
        "indicators/<slug:code>/breakdown.csv",
        views.indicator_table_export,
        name="indicator_table_export",
    ),
    path("indicators/<slug:code>/story/<str:period_code>/", views.story_edit, name="story_edit"),
]
