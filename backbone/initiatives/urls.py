from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("new/", views.initiative_create, name="create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/edit/", views.initiative_edit, name="edit"),
    path("<slug:slug>/partners/", views.partners, name="partners"),
    path("<slug:slug>/partners.csv", views.partners_export, name="partners_export"),
    path("<slug:slug>/partners/<slug:org_slug>/", views.partner_detail, name="partner"),
    path(
        "<slug:slug>/partners/<slug:org_slug>/profile/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("<slug:slug>/people/", views.members, name="members"),
    path(
        "<slug:slug>/people/invitations/<uuid:invitation_uuid>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
