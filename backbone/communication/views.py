"""Working group pages: the list, a group, a meeting with its attendance, decisions and action
items, and the calendar links.

Thin views: access through `backbone.permissions` (with a `Seat` from `selectors`), reads
through `selectors`, writes through `services`. A private group or meeting answers 404 to
those who may not see it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backbone.initiatives.models import Initiative
from backbone.initiatives.selectors import initiative_named
from backbone.permissions import can, initiative_for, require
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import read_revision, saved, track

from . import calendar, selectors, services, tokens
from .forms import ActionItemForm, DecisionForm, MeetingForm, WorkingGroupForm
from .models import CalendarFeed

SECTION = "groups"


def _page(request, template, initiative, **context):
    return render(
        request,
        f"communication/{template}",
        {"initiative": initiative, "section": SECTION, "today": timezone.localdate(), **context},
    )


@login_required
def group_list(request, slug):
    initiative = initiative_for(request.user, slug, "groups.view")
    return _page(
        request,
        "group_list.html",
        initiative,
        groups=selectors.groups_visible(initiative=initiative, person=request.user),
        meetings=selectors.meetings_visible(initiative=initiative, person=request.user),
        may_manage=can(request.user, "groups.manage", initiative),
    )


@login_required
def group_create(request, slug):
    initiative = initiative_for(request.user, slug, "groups.manage")
    form = WorkingGroupForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        group = services.group_save(form=form, initiative=initiative)
        messages.success(request, _("Created the working group %(name)s.") % {"name": group.name})
        return redirect("communication:group", initiative.slug, group.uuid)
    return _page(request, "group_form.html", initiative, form=form, group=None)


@login_required
def group_detail(request, slug, group):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.group_get(initiative=initiative, person=request.user, group_uuid=group)
    meetings = selectors.meetings_visible(initiative=initiative, person=request.user, group=found)
    return _page(
        request,
        "group_detail.html",
        initiative,
        group=found,
        seat=seat,
        meetings=meetings,
        decisions=[d for m in meetings for d in m.decisions.all()],
        actions=selectors.open_actions_of(meetings=meetings),
        may_lead=can(request.user, "group.lead", initiative, seat),
        may_manage=can(request.user, "groups.manage", initiative),
    )


@login_required
def group_edit(request, slug, group):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.group_get(initiative=initiative, person=request.user, group_uuid=group)
    require(request.user, "group.lead", initiative, seat)
    form = WorkingGroupForm(request.POST or None, instance=found, initiative=initiative)
    track(form, found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.group_save(  # noqa: E731
            form=form, initiative=initiative, by=request.user, read_revision=read_revision(form)
        )
        if saved(form, save):
            messages.success(request, _("Saved the working group."))
            return redirect("communication:group", initiative.slug, found.uuid)
    return _page(request, "group_form.html", initiative, form=form, group=found)


@login_required
def meeting_create(request, slug, group=None):
    """A group's meeting (its lead or the backbone), or an all-partners one (the backbone)."""
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = (None, None)
    if group is not None:
        found, seat = selectors.group_get(
            initiative=initiative, person=request.user, group_uuid=group
        )
    require(request.user, "group.lead", initiative, seat)
    form = MeetingForm(
        request.POST or None,
        initiative=initiative,
        initial={"time_zone": timezone.get_current_timezone_name()},
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_save(
            form=form, initiative=initiative, group=found, by=request.user
        )
        messages.success(request, _("Recorded the meeting."))
        return redirect("communication:meeting", initiative.slug, meeting.uuid)
    return _page(request, "meeting_form.html", initiative, form=form, group=found, meeting=None)


@login_required
def meeting_edit(request, slug, meeting):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.meeting_get(
        initiative=initiative, person=request.user, meeting_uuid=meeting
    )
    require(request.user, "group.lead", initiative, seat if found.group_id else None)
    form = MeetingForm(request.POST or None, instance=found, initiative=initiative)
    track(form, found)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.meeting_save(  # noqa: E731
            form=form,
            initiative=initiative,
            group=found.group,
            by=request.user,
            read_revision=read_revision(form),
        )
        if saved(form, save):
            messages.success(request, _("Saved the meeting."))
            return redirect("communication:meeting", initiative.slug, found.uuid)
    return _page(
        request, "meeting_form.html", initiative, form=form, group=found.group, meeting=found
    )


def _meeting_page(request, initiative, meeting, seat, *, decision_form=None, action_form=None):
    may_record = can(request.user, "group.lead", initiative, seat if meeting.group_id else None)
    actions = list(meeting.action_items.select_related("owner").order_by("status", "due_on"))
    return _page(
        request,
        "meeting_detail.html",
        initiative,
        meeting=meeting,
        attendance=selectors.attendance(meeting),
        decisions=list(meeting.decisions.all()),
        actions=[
            (
                a,
                can(
                    request.user, "action.close", initiative, selectors.action_seat(a, request.user)
                ),
            )
            for a in actions
        ],
        may_record=may_record,
        decision_form=decision_form or (DecisionForm(prefix="decision") if may_record else None),
        action_form=action_form
        or (ActionItemForm(initiative=initiative, prefix="action") if may_record else None),
    )


@login_required
def meeting_detail(request, slug, meeting):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.meeting_get(
        initiative=initiative, person=request.user, meeting_uuid=meeting
    )
    return _meeting_page(request, initiative, found, seat)


@login_required
@require_POST
def decision_create(request, slug, meeting):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.meeting_get(
        initiative=initiative, person=request.user, meeting_uuid=meeting
    )
    require(request.user, "group.lead", initiative, seat if found.group_id else None)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return _meeting_page(request, initiative, found, seat, decision_form=form)
    services.decision_record(form=form, meeting=found)
    messages.success(request, _("Recorded the decision."))
    return redirect("communication:meeting", initiative.slug, found.uuid)


@login_required
@require_POST
def action_create(request, slug, meeting):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.meeting_get(
        initiative=initiative, person=request.user, meeting_uuid=meeting
    )
    require(request.user, "group.lead", initiative, seat if found.group_id else None)
    form = ActionItemForm(request.POST, initiative=initiative, prefix="action")
    if not form.is_valid():
        return _meeting_page(request, initiative, found, seat, action_form=form)
    services.action_record(form=form, meeting=found, by=request.user)
    messages.success(request, _("Recorded the action item."))
    return redirect("communication:meeting", initiative.slug, found.uuid)


@login_required
@require_POST
def action_done(request, slug, action):
    initiative = initiative_for(request.user, slug, "groups.view")
    found, seat = selectors.action_get(
        initiative=initiative, person=request.user, action_uuid=action
    )
    require(request.user, "action.close", initiative, seat)
    services.action_close(action=found, by=request.user)
    messages.success(request, _("Marked done: %(action)s") % {"action": found.text[:80]})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("communication:meeting", args=[initiative.slug, found.meeting.uuid])
    return redirect(target)


def _own_feed(initiative: Initiative, person, uuid: str) -> CalendarFeed:
    """The person's own calendar link here, or 404."""
    try:
        feed = CalendarFeed.objects.of(initiative).filter(person=person, uuid=uuid).first()
    except ValidationError:
        feed = None
    if feed is None:
        raise Http404(_("No such calendar link."))
    return feed


@login_required
def feeds(request, slug):
    """The person's calendar links in this initiative: make one (shown once), revoke one."""
    initiative = initiative_for(request.user, slug, "groups.view")
    new_link = None
    if request.method != "POST" and "revoke" in request.GET:
        feed = _own_feed(initiative, request.user, request.GET["revoke"])
        return confirm_page(
            request,
            Confirmation(
                question=_("Revoke the calendar link beginning %(prefix)s…?")
                % {"prefix": feed.prefix},
                explanation=_(
                    "Calendars subscribed to it stop showing these meetings at their next "
                    "refresh. This cannot be undone; you can make a new link."
                ),
                button=_("Revoke the link"),
                cancel_url=reverse("communication:feeds", args=[initiative.slug]),
                fields=(("revoke", str(feed.uuid)),),
            ),
            initiative=initiative,
            section=SECTION,
        )
    if request.method == "POST":
        if "revoke" in request.POST:
            feed = _own_feed(initiative, request.user, request.POST["revoke"])
            tokens.feed_revoke(feed=feed)
            messages.success(request, _("Revoked the calendar link; it no longer works."))
            return redirect("communication:feeds", initiative.slug)
        group = None
        if request.POST.get("group"):
            group, _seat = selectors.group_get(
                initiative=initiative, person=request.user, group_uuid=request.POST["group"]
            )
        _feed, raw = tokens.feed_create(initiative=initiative, person=request.user, group=group)
        new_link = request.build_absolute_uri(
            reverse("communication:feed", args=[initiative.slug, raw])
        )
    mine = (
        CalendarFeed.objects.of(initiative)
        .filter(person=request.user, revoked_at__isnull=True)
        .select_related("group")
    )
    return _page(
        request,
        "feeds.html",
        initiative,
        feeds=list(mine),
        new_link=new_link,
        groups=selectors.groups_visible(initiative=initiative, person=request.user),
    )


def feed(request, slug, token):
    """The iCalendar feed behind a private link; no sign-in, the token is the key."""
    found = _live_feed(slug, token)
    person = found.person
    if found.group is not None:
        group, _seat = selectors.group_get(  # 404 once the person may no longer see the group
            initiative=found.initiative, person=person, group_uuid=found.group.uuid
        )
        meetings = selectors.feed_meetings(person=person, group=group)
        name = _("%(group)s — %(initiative)s") % {
            "group": group.name,
            "initiative": found.initiative.name,
        }
    else:
        meetings = selectors.feed_meetings(person=person)
        name = _("Meetings of %(person)s") % {"person": person.name or person.email}
    body = calendar.calendar_build(
        name=name,
        meetings=meetings,
        url_of=lambda m: request.build_absolute_uri(
            reverse("communication:meeting", args=[m.initiative.slug, m.uuid])
        ),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _live_feed(slug: str, token: str) -> CalendarFeed:
    initiative = initiative_named(slug)
    found = initiative and tokens.feed_for(initiative=initiative, raw=token)
    if not found:
        raise Http404(_("No such calendar."))
    found.initiative = initiative
    return found
