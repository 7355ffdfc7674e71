"""Partner network live under /i/<initiative>/network/."""

from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.waves, name="waves"),
    path("waves/new/", views.wave_create, name="wave_create"),
    path("waves/<uuid:uuid>/", views.wave, name="wave"),
    path("waves/<uuid:uuid>/edit/", views.wave_edit, name="wave_edit"),
    path("waves/<uuid:uuid>/map/", views.network_map, name="map"),
    path("waves/<uuid:uuid>/map.json", views.map_data, name="map_data"),
    path("waves/<uuid:uuid>/ratings.csv", views.ratings_csv, name="ratings_csv"),
    path("waves/<uuid:uuid>/answer/<slug:organisation>/", views.answer, name="answer"),
]
