"""Policy and public will live under /i/<initiative>/advocacy/."""

from django.urls import path

from . import views

app_name = "advocacy"
urlpatterns = [
    path("", views.policies, name="policies"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<uuid:uuid>/", views.policy, name="policy"),
    path("policies/<uuid:uuid>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<uuid:uuid>/events/new/", views.policy_event_add, name="event_add"),
    path("public-will/", views.public_will, name="public_will"),
    path("public-will/new/", views.item_create, name="item_create"),
    path("public-will/<uuid:uuid>/edit/", views.item_edit, name="item_edit"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/c/<uuid:uuid>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/c/<uuid:uuid>/progress/", views.commitment_update_add, name="update_add"),
    path("commitments/<slug:organisation>/", views.partner_commitments, name="partner"),
    path("commitments/<slug:organisation>/new/", views.commitment_create, name="commitment_create"),
]
