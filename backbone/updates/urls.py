"""Update pages live under /i/<initiative>/updates/."""

from django.urls import path

from . import views

app_name = "updates"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.update_create, name="create"),
    path("following/", views.following, name="following"),
    path("<uuid:uuid>/", views.update_detail, name="detail"),
    path("<uuid:uuid>/comments/", views.comment_create, name="comment"),
]
