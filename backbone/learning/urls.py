"""Learning and evaluation live under /i/<initiative>/learning/."""

from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.questions, name="questions"),
    path("questions/new/", views.question_create, name="question_create"),
    path("questions/<uuid:uuid>/", views.question, name="question"),
    path("questions/<uuid:uuid>/edit/", views.question_edit, name="question_edit"),
    path("plan/", views.plan, name="plan"),
    path("plan/new/", views.plan_item_create, name="plan_item_create"),
    path("plan/<uuid:uuid>/edit/", views.plan_item_edit, name="plan_item_edit"),
    path("log/", views.log, name="log"),
    path("log/new/", views.log_entry_create, name="entry_create"),
    path("log/<uuid:uuid>/", views.log_entry, name="entry"),
    path("log/<uuid:uuid>/edit/", views.log_entry_edit, name="entry_edit"),
]
