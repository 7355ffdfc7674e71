from django.shortcuts import render

from backbone.permissions import initiative_for


def initiative_framework(request, slug):
    initiative = initiative_for(request.user, slug, "framework.view")
    return render(
        request, "frameworks/initiative.html", {"initiative": initiative, "section": "framework"}
    )
