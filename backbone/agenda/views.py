from django.shortcuts import render

from backbone.permissions import initiative_for


def agenda_detail(request, slug):
    initiative = initiative_for(request.user, slug, "agenda.view")
    return render(request, "agenda/detail.html", {"initiative": initiative, "section": "agenda"})
