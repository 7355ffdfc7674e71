"""Communication pages live under /i/<initiative>/groups/ (working groups and meetings)."""

from django.urls import path

from . import views

app_name = "communication"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="group_create"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<uuid:meeting>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:meeting>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:meeting>/decisions/", views.decision_create, name="decision_create"),
    path("meetings/<uuid:meeting>/actions/", views.action_create, name="action_create"),
    path("actions/<uuid:action>/done/", views.action_done, name="action_done"),
    path("calendar/", views.feeds, name="feeds"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("<uuid:group>/", views.group_detail, name="group"),
    path("<uuid:group>/edit/", views.group_edit, name="group_edit"),
    path("<uuid:group>/meetings/new/", views.meeting_create, name="group_meeting_create"),
]
