"""Pages of the updates feed. Thin: find the initiative and the update within it, check one
rule in backbone.permissions, call one service, answer."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for, require
from backbone.web.htmx import is_htmx, template_for
from backbone.web.signing_in import sign_in_first

from . import selectors, services
from .forms import CommentForm, FollowingForm, UpdateForm


def _initiative(request, slug: str, rule: str) -> Initiative:
    """404 to those who may not see the initiative; sign-in or 403 for those denied `rule`."""
    initiative = initiative_for(request.user, slug, "updates.view")
    require(request.user, rule, initiative)
    return initiative


def feed(request, slug):
    initiative = _initiative(request, slug, "updates.view")
    page, items = selectors.feed_page(
        initiative=initiative, person=request.user, number=request.GET.get("page")
    )
    return render(
        request,
        "updates/feed.html",
        {"initiative": initiative, "section": "updates", "page": page, "items": items},
    )


@sign_in_first(back_after_post="updates:feed")
def update_create(request, slug):
    initiative = _initiative(request, slug, "updates.post")
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        update = services.update_create(initiative=initiative, by=request.user, **form.cleaned_data)
        messages.success(request, _("The update is posted."))
        return redirect("updates:detail", slug, update.uuid)
    return render(
        request,
        "updates/update_form.html",
        {"initiative": initiative, "section": "updates", "form": form},
    )


def _detail(request, initiative: Initiative, update, form, *, status: int = 200):
    context = {
        "initiative": initiative,
        "section": "updates",
        "update": update,
        "comments": selectors.comments_of(update)
        if can(request.user, "updates.comments.view", initiative)
        else None,
        "form": form,
    }
    template = template_for(request, "updates/detail.html", "updates/_comments.html")
    return render(request, template, context, status=status)


def update_detail(request, slug, uuid):
    initiative = _initiative(request, slug, "updates.view")
    update = selectors.update_get(initiative=initiative, uuid=uuid)
    return _detail(request, initiative, update, CommentForm())


@sign_in_first(back_after_post="updates:feed")
def comment_create(request, slug, uuid):
    """Post a comment. An htmx request gets the comment list back; a plain form a redirect."""
    initiative = _initiative(request, slug, "updates.comment")
    update = selectors.update_get(initiative=initiative, uuid=uuid)
    if request.method != "POST":
        return redirect("updates:detail", slug, uuid)
    form = CommentForm(request.POST)
    if not form.is_valid():
        # htmx swaps only successful answers: the form with its error comes back as 200
        return _detail(request, initiative, update, form, status=200 if is_htmx(request) else 400)
    services.comment_create(update=update, by=request.user, body=form.cleaned_data["body"])
    if is_htmx(request):
        return _detail(request, initiative, update, CommentForm())
    messages.success(request, _("Thank you: your comment is posted."))
    return redirect(reverse("updates:detail", args=[slug, uuid]) + "#comments")


@sign_in_first(back_after_post="updates:feed")
def following(request, slug):
    """What the member follows here, and how often their digest comes."""
    initiative = _initiative(request, slug, "updates.follow")
    current = selectors.following_of(initiative=initiative, person=request.user)
    initial = {
        "news": current.news,
        "data_releases": current.data_releases,
        "decisions": current.decisions,
        "comments": current.comments,
        "frequency": services.frequency_of(request.user),
    }
    form = FollowingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.following_save(initiative=initiative, person=request.user, **form.cleaned_data)
        messages.success(request, _("Saved: your digest follows what you chose."))
        return redirect("updates:following", slug)
    return render(
        request,
        "updates/following.html",
        {"initiative": initiative, "section": "updates", "form": form},
    )
