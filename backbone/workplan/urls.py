"""The backbone's work plan and funding live under /i/<slug>/backbone/."""

from django.urls import path

from . import views

app_name = "workplan"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<uuid:task>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<uuid:task>/effort/", views.effort_log, name="effort_log"),
    path("effort/", views.effort, name="effort"),
    path("funding/", views.funding, name="funding"),
    path("funding/grants/", views.grants, name="grants"),
    path("funding/grants/new/", views.grant_create, name="grant_create"),
    path("funding/grants/<uuid:grant>/edit/", views.grant_edit, name="grant_edit"),
    path("funding/funders/new/", views.funder_create, name="funder_create"),
    path("funding/budget/", views.budget_set, name="budget_set"),
]
