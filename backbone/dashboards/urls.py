"""Dashboard pages live under /i/<initiative>/scorecard/."""

from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.scorecard_view, name="scorecard"),
    path("public/", views.public_scorecard, name="public"),
    path("embed/", views.embed, name="embed"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("indicators/<slug:code>/story/<str:period_code>/", views.story_edit, name="story_edit"),
]
