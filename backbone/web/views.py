"""The home page: a person's initiatives, their roles and what waits for them."""

from django.shortcuts import render

from backbone import permissions
from backbone.agenda.selectors import pending_endorsements
from backbone.initiatives import selectors
from backbone.measurement.waiting import waiting_for


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "web/landing.html", {"initiatives": selectors.public_initiatives()})
    roles_by_initiative: dict = {}
    for membership in selectors.memberships_of(user):
        roles_by_initiative.setdefault(membership.initiative, []).append(membership)
    open_invitations = selectors.open_invitations_for(user)
    return render(
        request,
        "web/home.html",
        {
            "roles_by_initiative": roles_by_initiative,
            "waiting_endorsements": pending_endorsements(user),
            "waiting_measurement": waiting_for(user, list(roles_by_initiative)),
            "open_invitations": open_invitations,
            "may_create": permissions.can_create_initiative(user),
        },
    )
