"""Assessments live under /i/<initiative>/assessments/."""

from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<slug:questionnaire>/", views.questionnaire, name="questionnaire"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<uuid:uuid>/", views.round_detail, name="round"),
    path("rounds/<uuid:uuid>/close/", views.round_close, name="round_close"),
    path("rounds/<uuid:uuid>/closing-date/", views.round_closing_date, name="round_closing_date"),
    path("rounds/<uuid:uuid>/share/", views.round_share, name="round_share"),
    path("rounds/<uuid:uuid>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<uuid:uuid>/answer/", views.answer, name="answer"),
    path("rounds/<uuid:uuid>/results/", views.results, name="results"),
    path("rounds/<uuid:uuid>/results.csv", views.results_csv, name="results_csv"),
    path("rounds/<uuid:uuid>/answers.csv", views.answers_csv, name="answers_csv"),
]
