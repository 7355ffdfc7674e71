"""Pages of the common agenda. Thin: find the initiative and the item within it, check one
rule in backbone.permissions, call one service, answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backbone.deletion import DeleteRefused, delete_refusal
from backbone.initiatives.models import Initiative, Partner
from backbone.permissions import can, initiative_for, require
from backbone.web.forms import read_revision, saved, track
from backbone.web.htmx import is_htmx, template_for
from backbone.web.signing_in import sign_in_first

from . import selectors, services
from .forms import ActionForm, AgendaForm, CommentForm, GoalForm, PublishForm, StrategyForm
from .models import Agenda, AgreedAction, Comment, Goal, Strategy
from .snapshots import Snapshot, snapshot_of


def _initiative(request, slug: str, rule: str) -> Initiative:
    """404 to those who may not see the initiative; sign-in or 403 for those denied `rule`."""
    return initiative_for(request.user, slug, rule)


def _goal(initiative: Initiative, uuid) -> Goal:
    goal = Goal.objects.of(initiative).one(uuid=uuid)
    goal.initiative = initiative
    return goal


def _strategy(initiative: Initiative, uuid) -> Strategy:
    strategy = Strategy.objects.of(initiative).select_related("goal").one(uuid=uuid)
    strategy.initiative = initiative
    return strategy


def _action(initiative: Initiative, uuid) -> AgreedAction:
    action = AgreedAction.objects.of(initiative).select_related("strategy__goal").one(uuid=uuid)
    action.initiative = action.strategy.initiative = initiative
    return action


def _report(request, initiative: Initiative, before: Snapshot, done: str) -> None:
    """Tell the editor what their change did to the draft, which readers do not see yet."""
    draft = selectors.draft_of(initiative)
    if draft.snapshot == before:
        messages.info(request, _("Nothing changed in the draft."))
    elif draft.is_changed:
        count = len(draft.changes)
        messages.success(
            request,
            ngettext(
                "%(done)s Saved in the draft: %(count)s change not published yet.",
                "%(done)s Saved in the draft: %(count)s changes not published yet.",
                count,
            )
            % {"done": done, "count": count},
        )
    elif draft.published is not None:
        messages.success(
            request,
            _("%(done)s The draft is version %(number)s again.")
            % {"done": done, "number": draft.published.number},
        )
    else:
        messages.success(request, _("%(done)s The draft is empty again.") % {"done": done})


def _edit_url(initiative: Initiative, anchor: str = "") -> str:
    url = reverse("agenda:edit", args=[initiative.slug])
    return f"{url}#{anchor}" if anchor else url


# --- reading ---------------------------------------------------------------------------------


def agenda_detail(request, slug):
    """The published agenda, the version partners endorse. Those who edit also get the
    draft: what changed since, and the form to publish it; `?view=draft` shows the draft
    as readers will see it once published."""
    initiative = initiative_for(request.user, slug, "agenda.view")
    return _detail(request, initiative)


def _detail(request, initiative: Initiative, publish_form=None, status_code: int = 200):
    may_see_comments = can(request.user, "agenda.comments.view", initiative)
    status = selectors.endorsement_status(initiative)
    draft = None
    if can(request.user, "agenda.edit", initiative):
        draft = selectors.draft_of(initiative, status.version)
        publish_form = publish_form or PublishForm(initial={"seen": draft.fingerprint})
    previewing = draft is not None and request.GET.get("view") == "draft"
    snapshot = draft.snapshot if previewing else selectors.published_snapshot(status.version)
    document = selectors.agenda_document(initiative, snapshot, with_comments=may_see_comments)
    to_endorse = [
        row.partner
        for row in status.rows
        if status.version is not None
        and not previewing
        and row.state != "current"
        and can(request.user, "agenda.endorse", initiative, row.partner)
    ]
    return render(
        request,
        "agenda/detail.html",
        {
            "initiative": initiative,
            "section": "agenda",
            "agenda": document.texts,
            "goals": document.goals,
            "version": status.version,
            "endorsements": status,
            "to_endorse": to_endorse,
            "may_see_comments": may_see_comments,
            "draft": draft,
            "previewing": previewing,
            "publish_form": publish_form,
        },
        status=status_code,
    )


@require_POST
@sign_in_first(back_after_post="agenda:detail")
def publish(request, slug):
    """Publish the draft as the next version: readers see it, partners are asked to endorse."""
    initiative = _initiative(request, slug, "agenda.edit")
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, initiative, publish_form=form)
    try:
        version = services.version_publish(
            initiative=initiative,
            by=request.user,
            note=form.cleaned_data["note"],
            seen=form.cleaned_data["seen"] or None,
        )
    except services.PublishError as exc:
        # Asked again, the person publishes the draft they now read, not the one refused.
        data = request.POST.copy()
        data["seen"] = selectors.draft_of(initiative).fingerprint
        form = PublishForm(data)
        form.is_valid()
        form.add_error(None, str(exc))
        return _detail(request, initiative, publish_form=form, status_code=409)
    messages.success(
        request,
        _("Version %(number)s is published. Every active partner's steward is asked to endorse it.")
        % {"number": version.number},
    )
    return redirect("agenda:detail", initiative.slug)


@sign_in_first(back_after_post="agenda:detail")
def history(request, slug):
    initiative = _initiative(request, slug, "agenda.history")
    page = Paginator(selectors.versions_of(initiative), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/history.html",
        {"initiative": initiative, "section": "agenda", "page": page},
    )


@sign_in_first(back_after_post="agenda:detail")
def compare(request, slug):
    """`?a=<uuid>&b=<uuid>`. Without `b`, the current version; without `a`, the one before `b`.
    `b=draft` (for those who edit it) compares the draft with `a`, the current version by
    default."""
    initiative = _initiative(request, slug, "agenda.history")
    may_edit = can(request.user, "agenda.edit", initiative)
    versions = list(selectors.versions_of(initiative).values_list("uuid", "number", "created_at"))
    if not versions:
        raise Http404(_("The agenda has no versions yet."))
    by_number = {number: uuid for uuid, number, _created in versions}
    b_value = request.GET.get("b") or versions[0][0]
    if b_value == "draft":
        if not may_edit:
            raise PermissionDenied
        b = selectors.draft_of(initiative)
        a = selectors.version_in(initiative, request.GET.get("a") or versions[0][0])
        if a is None:
            raise Http404(_("No such version of this agenda."))
        between = selectors.versions_between(a, b.published)
    else:
        b = selectors.version_in(initiative, b_value)
        if b is None:
            raise Http404(_("No such version of this agenda."))
        a_value = request.GET.get("a") or by_number.get(b.number - 1, b.uuid)
        a = selectors.version_in(initiative, a_value)
        if a is None:
            raise Http404(_("No such version of this agenda."))
        if a.number > b.number:
            a, b = b, a
        between = selectors.versions_between(a, b)
    comparison = selectors.version_compare(a, b)
    only_changes = request.GET.get("show") != "all"  # changes first: that is what people look for
    rows = [row for row in comparison.rows if row.is_changed or not only_changes]
    return render(
        request,
        "agenda/compare.html",
        {
            "initiative": initiative,
            "section": "agenda",
            "comparison": comparison,
            "rows": rows,
            "only_changes": only_changes,
            "versions": versions,
            "between": between,
            "may_edit": may_edit,
        },
    )


# --- comments --------------------------------------------------------------------------------


def _comments(request, initiative: Initiative, *, goal=None, strategy=None):
    """The thread of a goal or strategy. Readers who may not edit know an item only as the
    published version holds it: an unpublished one is not found, a changed one shows its
    published title and description."""
    target = goal or strategy
    kind = "goal" if goal else "strategy"
    shown = target
    if not can(request.user, "agenda.edit", initiative):
        shown = selectors.published_item(initiative, target.uuid)
        if shown is None:
            raise Http404(_("No such goal or strategy in the published agenda."))
    post_url = reverse(f"agenda:{kind}_comments", args=[initiative.slug, target.uuid])
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "agenda.comment", initiative)
        if form.is_valid():
            try:
                services.comment_create(
                    initiative=initiative,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    goal=goal,
                    strategy=strategy,
                )
            except services.CommentError as exc:
                form.add_error("body", str(exc))
            else:
                if not is_htmx(request):
                    messages.success(request, _("Thank you: your comment is posted."))
                    return redirect(post_url)
                form = CommentForm()
    return render(
        request,
        template_for(request, "agenda/comments.html", "agenda/_comments.html"),
        {
            "initiative": initiative,
            "section": "agenda",
            "target": shown,
            "kind": kind,
            "comments": target.comments.select_related("author"),
            "form": form,
            "post_url": post_url,
            "swap": is_htmx(request),
        },
    )


@sign_in_first(back_after_post="agenda:detail")
def goal_comments(request, slug, goal_uuid):
    initiative = _initiative(request, slug, "agenda.comments.view")
    return _comments(request, initiative, goal=_goal(initiative, goal_uuid))


@sign_in_first(back_after_post="agenda:detail")
def strategy_comments(request, slug, strategy_uuid):
    initiative = _initiative(request, slug, "agenda.comments.view")
    return _comments(request, initiative, strategy=_strategy(initiative, strategy_uuid))


# --- endorsing -------------------------------------------------------------------------------


@require_POST
@sign_in_first(back_after_post="agenda:detail")
def endorse(request, slug, org_slug):
    """A steward signs the current version for their organisation."""
    initiative = _initiative(request, slug, "agenda.endorse")
    partner = (
        Partner.objects.of(initiative)
        .select_related("organisation")
        .one(organisation__slug=org_slug)
    )
    require(request.user, "agenda.endorse", initiative, partner)
    version = selectors.version_in(initiative, request.POST.get("version"))
    if version is None:
        raise Http404(_("No such version of this agenda."))
    try:
        services.endorsement_create(
            version=version, partner=partner, by=request.user, note=request.POST.get("note", "")
        )
    except services.EndorsementError as exc:
        return render(
            request,
            "agenda/refused.html",
            {"initiative": initiative, "section": "agenda", "reason": str(exc)},
            status=400,
        )
    messages.success(
        request,
        _("%(partner)s now endorses version %(number)s. Thank you.")
        % {"partner": partner.organisation.name, "number": version.number},
    )
    return redirect("agenda:detail", slug)


# --- editing (backbone staff) ------------------------------------------------------------------


@sign_in_first(back_after_post="agenda:detail")
def agenda_edit(request, slug):
    """The header texts, and the outline of goals, strategies and actions with their links."""
    initiative = _initiative(request, slug, "agenda.edit")
    agenda = Agenda.objects.of(initiative).first()
    stored = {
        name: getattr(agenda, name) if agenda else ""
        for name in ("problem_statement", "vision", "community_aspirations")
    }
    form = track(AgendaForm(request.POST or None, stored=stored), agenda or Agenda())
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        save = lambda: services.agenda_update(  # noqa: E731
            initiative=initiative,
            by=request.user,
            read_revision=read_revision(form),
            **form.values(),
        )
        if saved(form, save):
            _report(request, initiative, before, _("Problem, vision and aspirations saved."))
            return redirect("agenda:edit", slug)
    return render(
        request,
        "agenda/edit.html",
        {
            "initiative": initiative,
            "section": "agenda",
            "form": form,
            "goals": selectors.agenda_tree(initiative),
            "draft": selectors.draft_of(initiative),
        },
    )


def _item_form(request, initiative, form, *, heading, submit, context=None):
    return render(
        request,
        "agenda/item_form.html",
        {
            "initiative": initiative,
            "section": "agenda",
            "form": form,
            "heading": heading,
            "submit": submit,
            "cancel_url": _edit_url(initiative),
            **(context or {}),
        },
    )


def _item_delete(request, initiative, *, kind, item, consequences, refused=None):
    """The confirm page; when something holds the item (a grant funds it), it says what
    instead of offering the button, with 409 when a delete was just refused."""
    if refused is None and request.method != "POST":
        refused = delete_refusal(item, kind=kind)
    reason = None
    if refused is not None:
        reason = refused.message(names=can(request.user, "grants.view_all", initiative))
    return render(
        request,
        "agenda/item_delete.html",
        {
            "initiative": initiative,
            "section": "agenda",
            "kind": kind,
            "item": item,
            "consequences": consequences,
            "refused": reason,
            "cancel_url": _edit_url(initiative),
        },
        status=409 if request.method == "POST" and refused is not None else 200,
    )


@sign_in_first(back_after_post="agenda:detail")
def goal_create(request, slug):
    initiative = _initiative(request, slug, "agenda.edit")
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        goal = services.goal_create(initiative=initiative, by=request.user, **form.values())
        _report(request, initiative, before, _("Goal added: %(title)s.") % {"title": goal.title})
        return redirect(_edit_url(initiative, f"goal-{goal.uuid}"))
    return _item_form(request, initiative, form, heading=_("Add a goal"), submit=_("Add goal"))


@sign_in_first(back_after_post="agenda:detail")
def goal_edit(request, slug, goal_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    goal = _goal(initiative, goal_uuid)
    form = GoalForm(
        request.POST or None, stored={"title": goal.title, "description": goal.description}
    )
    track(form, goal)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        save = lambda: services.goal_update(  # noqa: E731
            goal=goal, by=request.user, read_revision=read_revision(form), **form.values()
        )
        if saved(form, save):
            _report(
                request, initiative, before, _("Goal saved: %(title)s.") % {"title": goal.title}
            )
            return redirect(_edit_url(initiative, f"goal-{goal.uuid}"))
    return _item_form(
        request,
        initiative,
        form,
        heading=_("Edit goal: %(title)s") % {"title": goal.title},
        submit=_("Save goal"),
    )


@sign_in_first(back_after_post="agenda:detail")
def goal_delete(request, slug, goal_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    goal = _goal(initiative, goal_uuid)
    refused = None
    if request.method == "POST":
        before = snapshot_of(initiative)
        try:
            services.goal_delete(goal=goal, by=request.user)
        except DeleteRefused as exc:
            refused = exc
        else:
            _report(
                request, initiative, before, _("Goal removed: %(title)s.") % {"title": goal.title}
            )
            return redirect(_edit_url(initiative))
    consequences = {
        "strategies": goal.strategies.count(),
        "actions": AgreedAction.objects.of(initiative).filter(strategy__goal=goal).count(),
        "comments": Comment.objects.of(initiative)
        .filter(Q(goal=goal) | Q(strategy__goal=goal))
        .count(),
    }
    return _item_delete(
        request,
        initiative,
        kind="goal",
        item=goal,
        consequences=consequences,
        refused=refused,
    )


@sign_in_first(back_after_post="agenda:detail")
def strategy_create(request, slug, goal_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    goal = _goal(initiative, goal_uuid)
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        strategy = services.strategy_create(goal=goal, by=request.user, **form.values())
        _report(
            request,
            initiative,
            before,
            _("Strategy added: %(title)s.") % {"title": strategy.title},
        )
        return redirect(_edit_url(initiative, f"strategy-{strategy.uuid}"))
    return _item_form(
        request,
        initiative,
        form,
        heading=_("Add a strategy"),
        submit=_("Add strategy"),
        context={"under": (_("Goal"), goal.title)},
    )


@sign_in_first(back_after_post="agenda:detail")
def strategy_edit(request, slug, strategy_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    strategy = _strategy(initiative, strategy_uuid)
    form = StrategyForm(
        request.POST or None,
        stored={"title": strategy.title, "description": strategy.description},
    )
    track(form, strategy)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        save = lambda: services.strategy_update(  # noqa: E731
            strategy=strategy, by=request.user, read_revision=read_revision(form), **form.values()
        )
        if saved(form, save):
            _report(
                request,
                initiative,
                before,
                _("Strategy saved: %(title)s.") % {"title": strategy.title},
            )
            return redirect(_edit_url(initiative, f"strategy-{strategy.uuid}"))
    return _item_form(
        request,
        initiative,
        form,
        heading=_("Edit strategy: %(title)s") % {"title": strategy.title},
        submit=_("Save strategy"),
        context={"under": (_("Goal"), strategy.goal.title)},
    )


@sign_in_first(back_after_post="agenda:detail")
def strategy_delete(request, slug, strategy_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    strategy = _strategy(initiative, strategy_uuid)
    refused = None
    if request.method == "POST":
        before = snapshot_of(initiative)
        try:
            services.strategy_delete(strategy=strategy, by=request.user)
        except DeleteRefused as exc:
            refused = exc
        else:
            _report(
                request,
                initiative,
                before,
                _("Strategy removed: %(title)s.") % {"title": strategy.title},
            )
            return redirect(_edit_url(initiative, f"goal-{strategy.goal.uuid}"))
    consequences = {
        "actions": strategy.actions.count(),
        "comments": strategy.comments.count(),
    }
    return _item_delete(
        request,
        initiative,
        kind="strategy",
        item=strategy,
        consequences=consequences,
        refused=refused,
    )


@sign_in_first(back_after_post="agenda:detail")
def action_create(request, slug, strategy_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    strategy = _strategy(initiative, strategy_uuid)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        action = services.action_create(strategy=strategy, by=request.user, **form.values())
        _report(
            request,
            initiative,
            before,
            _("Agreed action added: %(title)s.") % {"title": action.title},
        )
        return redirect(_edit_url(initiative, f"strategy-{strategy.uuid}"))
    return _item_form(
        request,
        initiative,
        form,
        heading=_("Add an agreed action"),
        submit=_("Add action"),
        context={"under": (_("Strategy"), strategy.title)},
    )


@sign_in_first(back_after_post="agenda:detail")
def action_edit(request, slug, action_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    action = _action(initiative, action_uuid)
    form = ActionForm(
        request.POST or None,
        stored={
            "title": action.title,
            "description": action.description,
            "status": action.status,
        },
    )
    track(form, action)
    if request.method == "POST" and form.is_valid():
        before = snapshot_of(initiative)
        save = lambda: services.action_update(  # noqa: E731
            action=action, by=request.user, read_revision=read_revision(form), **form.values()
        )
        if saved(form, save):
            _report(
                request,
                initiative,
                before,
                _("Agreed action saved: %(title)s.") % {"title": action.title},
            )
            return redirect(_edit_url(initiative, f"strategy-{action.strategy.uuid}"))
    return _item_form(
        request,
        initiative,
        form,
        heading=_("Edit agreed action: %(title)s") % {"title": action.title},
        submit=_("Save action"),
        context={"under": (_("Strategy"), action.strategy.title)},
    )


@sign_in_first(back_after_post="agenda:detail")
def action_delete(request, slug, action_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    action = _action(initiative, action_uuid)
    if request.method == "POST":
        before = snapshot_of(initiative)
        services.action_delete(action=action, by=request.user)
        _report(
            request,
            initiative,
            before,
            _("Agreed action removed: %(title)s.") % {"title": action.title},
        )
        return redirect(_edit_url(initiative, f"strategy-{action.strategy.uuid}"))
    return _item_delete(request, initiative, kind="action", item=action, consequences={})


# --- reordering (backbone staff) ---------------------------------------------------------------


def _move(request, initiative: Initiative, item, *, anchor: str):
    """POST `direction=up` or `down`: the item swaps places with its neighbour, in the draft."""
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Move up or down."))
    before = snapshot_of(initiative)
    services.item_move(item=item, by=request.user, up=direction == "up")
    moved = _("Moved up: %(title)s.") if direction == "up" else _("Moved down: %(title)s.")
    _report(request, initiative, before, moved % {"title": item.title})
    return redirect(_edit_url(initiative, anchor))


@require_POST
@sign_in_first(back_after_post="agenda:detail")
def goal_move(request, slug, goal_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    goal = _goal(initiative, goal_uuid)
    return _move(request, initiative, goal, anchor=f"goal-{goal.uuid}")


@require_POST
@sign_in_first(back_after_post="agenda:detail")
def strategy_move(request, slug, strategy_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    strategy = _strategy(initiative, strategy_uuid)
    return _move(request, initiative, strategy, anchor=f"strategy-{strategy.uuid}")


@require_POST
@sign_in_first(back_after_post="agenda:detail")
def action_move(request, slug, action_uuid):
    initiative = _initiative(request, slug, "agenda.edit")
    action = _action(initiative, action_uuid)
    return _move(request, initiative, action, anchor=f"strategy-{action.strategy.uuid}")
