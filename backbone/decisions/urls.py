"""Structured decisions live under /i/<initiative>/decisions/."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("rules/", views.rules, name="rules"),
    path("rules/all-partners/", views.rules_edit, name="rules_all"),
    path("rules/<uuid:group>/", views.rules_edit, name="rules_group"),
    path("<uuid:uuid>/", views.proposal_detail, name="proposal"),
    path("<uuid:uuid>/vote/", views.vote, name="vote"),
    path("<uuid:uuid>/close/", views.close, name="close"),
    path("<uuid:uuid>/review/", views.review, name="review"),
]
