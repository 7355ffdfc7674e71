from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("", views.agenda_detail, name="detail"),
    path("edit/", views.agenda_edit, name="edit"),
    path("publish/", views.publish, name="publish"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<uuid:goal_uuid>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:goal_uuid>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<uuid:goal_uuid>/move/", views.goal_move, name="goal_move"),
    path("goals/<uuid:goal_uuid>/comments/", views.goal_comments, name="goal_comments"),
    path("goals/<uuid:goal_uuid>/strategies/new/", views.strategy_create, name="strategy_create"),
    path("strategies/<uuid:strategy_uuid>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<uuid:strategy_uuid>/delete/", views.strategy_delete, name="strategy_delete"),
    path("strategies/<uuid:strategy_uuid>/move/", views.strategy_move, name="strategy_move"),
    path(
        "strategies/<uuid:strategy_uuid>/comments/",
        views.strategy_comments,
        name="strategy_comments",
    ),
    path("strategies/<uuid:strategy_uuid>/actions/new/", views.action_create, name="action_create"),
    path("actions/<uuid:action_uuid>/edit/", views.action_edit, name="action_edit"),
    path("actions/<uuid:action_uuid>/delete/", views.action_delete, name="action_delete"),
    path("actions/<uuid:action_uuid>/move/", views.action_move, name="action_move"),
    path("versions/", views.history, name="history"),
    path("versions/compare/", views.compare, name="compare"),
    path("endorse/<slug:org_slug>/", views.endorse, name="endorse"),
]
