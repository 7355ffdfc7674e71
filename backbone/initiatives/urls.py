from django.urls import path

from . import views, views_members

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
    path(
        "<slug:slug>/people/invitations/<uuid:invitation_uuid>/resend/",
        views_members.invitation_resend,
        name="invitation_resend",
    ),
    # a role: the person, the role, and the organisation's slug ("-" for none)
    path(
        "<slug:slug>/people/<uuid:person_uuid>/<str:role>/<slug:organisation>/",
        views_members.member_edit,
        name="member_edit",
    ),
    path(
        "<slug:slug>/people/<uuid:person_uuid>/<str:role>/<slug:organisation>/remove/",
        views_members.member_remove,
        name="member_remove",
    ),
]
