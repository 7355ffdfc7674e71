"""Pages of the shared measurement set-up: the indicator list and each indicator's
definition for everyone who may see them; indicators, dimensions, periods, baselines and
targets for the backbone to define. Thin: find the initiative and the item within it, check
one rule in backbone.permissions, call one service, answer."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import add_errors, read_revision, track

from . import breaks, selectors
from . import services_setup as services
from .forms_setup import (
    DimensionForm,
    GroupForm,
    IndicatorForm,
    PeriodsGenerateForm,
    SeriesBreakForm,
    TargetsForm,
)
from .models import Dimension, Group, Indicator, Period, SeriesBreak, Target

SECTION = "measurement"


class _SignInFirst(Exception):
    """An anonymous visitor asked for what only signed-in members may see or do."""


def _sign_in_when_anonymous(view):
    """Send an anonymous visitor of a public initiative to the sign-in page instead of a 403."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignInFirst:
            back = request.get_full_path()
            if request.method != "GET":
                back = reverse("measurement:home", args=[kwargs["slug"]])
            return redirect_to_login(back)

    return wrapper


def _initiative(request, slug: str, rule: str) -> Initiative:
    """404 to those who may not see the initiative; sign-in or 403 for those denied `rule`."""
    initiative = initiative_for(request.user, slug)
    if not can(request.user, rule, initiative):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise PermissionDenied
    return initiative


def _indicator(request, initiative: Initiative, code: str) -> Indicator:
    """An indicator this person may see the results of; 404 otherwise, never a hint."""
    indicator = selectors.indicator_in(initiative, code)
    if indicator is None or not can(request.user, "indicator.results", initiative, indicator):
        raise Http404(_("No such indicator."))
    indicator.initiative = initiative
    return indicator


def _dimension(initiative: Initiative, key: str) -> Dimension:
    dimension = selectors.dimension_in(initiative, key)
    if dimension is None:
        raise Http404(_("No such dimension."))
    dimension.initiative = initiative
    return dimension


def _context(initiative: Initiative, **extra) -> dict:
    return {"initiative": initiative, "section": SECTION, **extra}


def _apply(form, error: services.SetupError, dimension_field: str | None = None) -> None:
    """Show a refusal from a service on the form field it names."""
    name = error.field
    if name == "dimensions":
        name = dimension_field
    form.add_error(name if name in form.fields else None, error.message)


# --- indicators ----------------------------------------------------------------------------


def home(request, slug):
    initiative = initiative_for(request.user, slug, "measurement.view")
    indicators = [
        indicator
        for indicator in selectors.indicators_of(initiative)
        if can(request.user, "indicator.results", initiative, indicator)
    ]
    return render(
        request,
        "measurement/setup/home.html",
        _context(
            initiative,
            sections=selectors.indicators_by_goal(initiative, indicators),
            indicator_count=len(indicators),
        ),
    )


def indicator_detail(request, slug, code):
    initiative = initiative_for(request.user, slug, "measurement.view")
    indicator = _indicator(request, initiative, code)
    space, time = selectors.aggregation_in_words(indicator)
    dimensions = {d.pk: d for d in selectors.dimensions_with_groups(initiative)}
    return render(
        request,
        "measurement/setup/indicator.html",
        _context(
            initiative,
            indicator=indicator,
            goal=selectors.indicator_goal(indicator),
            across_space=space,
            across_time=time,
            dimensions=[dimensions[d.pk] for d in indicator.ordered_dimensions],
            targets=selectors.targets_of(indicator),
            breaks=breaks.breaks_of(indicator),
            accepted_range=selectors.accepted_range(indicator),
        ),
    )


@_sign_in_when_anonymous
def indicator_create(request, slug):
    initiative = _initiative(request, slug, "measurement.manage")
    form = IndicatorForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                initiative=initiative,
                by=request.user,
                dimensions=form.dimensions(),
                **form.indicator_fields(),
            )
        except services.SetupError as exc:
            _apply(form, exc, form.dimension_fields[0] if form.dimension_fields else None)
        else:
            messages.success(
                request,
                _("%(name)s is defined. Set its baselines and targets next.")
                % {"name": indicator.name},
            )
            return redirect("measurement:indicator", initiative.slug, indicator.code)
    return render(
        request,
        "measurement/setup/indicator_form.html",
        _context(initiative, form=form, indicator=None),
    )


@_sign_in_when_anonymous
def indicator_edit(request, slug, code):
    initiative = _initiative(request, slug, "measurement.manage")
    indicator = _indicator(request, initiative, code)
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        initiative=initiative,
        has_values=selectors.indicator_has_values(indicator),
    )
    track(form, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_update(
                indicator=indicator,
                by=request.user,
                dimensions=form.dimensions(),
                read_revision=read_revision(form),
                **form.indicator_fields(),
            )
        except services.SetupError as exc:
            _apply(form, exc, form.dimension_fields[0] if form.dimension_fields else None)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": indicator.name})
            return redirect("measurement:indicator", initiative.slug, indicator.code)
    return render(
        request,
        "measurement/setup/indicator_form.html",
        _context(initiative, form=form, indicator=indicator),
    )


@_sign_in_when_anonymous
def targets(request, slug, code):
    """Baselines and targets of one indicator, by period, for the total or for the groups of
    one of its dimensions (`?by=<dimension key>`), for periods of one kind (`?kind=`; by
    default the kind its targets are set on, else its reporting frequency)."""
    initiative = _initiative(request, slug, "measurement.manage")
    indicator = _indicator(request, initiative, code)
    by = next((d for d in indicator.ordered_dimensions if d.key == request.GET.get("by")), None)
    kinds = list(selectors.periods_by_kind(initiative))
    set_on = (
        Target.objects.of(initiative)
        .filter(indicator=indicator)
        .order_by("-period__start")
        .values_list("period__kind", flat=True)
        .first()
    )
    kind = request.GET.get("kind") or set_on or indicator.frequency
    if kind not in kinds:
        kind = indicator.frequency if indicator.frequency in kinds else (kinds[0] if kinds else "")
    periods = selectors.periods_by_kind(initiative, kinds=[kind]).get(kind, [])
    groups: list[Group | None] = (
        [g for g, _depth in selectors.groups_by_dimension(by)] if by is not None else [None]
    )
    existing = {}
    targets = Target.objects.of(initiative).filter(indicator=indicator, period__in=periods)
    for t in targets.select_related("cell"):
        group_id = _single_group(t.cell.key)
        if group_id is not False:
            existing[(t.kind, t.period_id, group_id)] = t.value
    form = TargetsForm(
        request.POST or None, indicator=indicator, periods=periods, groups=groups, existing=existing
    )
    track(form, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.targets_set(
                indicator=indicator,
                by=request.user,
                entries=form.entries(),
                read_revision=read_revision(form),
            )
        except services.SetupError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s baseline or target value saved.",
                        "%(count)s baseline or target values saved.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(request.get_full_path())
    return render(
        request,
        "measurement/setup/targets.html",
        _context(
            initiative,
            indicator=indicator,
            form=form,
            by=by,
            kind=kind,
            kinds=[(k, Period.Kind(k).label) for k in kinds],
            groups=groups,
        ),
    )


def _series_break(indicator: Indicator, period_code: str | None) -> SeriesBreak:
    found = (
        SeriesBreak.objects.of(indicator.initiative_id)
        .filter(indicator=indicator, period__code=period_code)
        .select_related("period", "indicator")
        .first()
    )
    if found is None:
        raise Http404(_("No such series break."))
    return found


@_sign_in_when_anonymous
def series_breaks(request, slug, code):
    """Where an indicator's series starts again. Backbone staff record a break
    (`action=add`: the first period of the new series and the reason) or remove one
    (`action=remove`, `period=<code>`)."""
    initiative = _initiative(request, slug, "measurement.manage")
    indicator = _indicator(request, initiative, code)
    action = request.POST.get("action", "add") if request.method == "POST" else None
    here = reverse("measurement:series_breaks", args=[initiative.slug, indicator.code])
    if action is None and request.GET.get("action") == "remove":
        found = _series_break(indicator, request.GET.get("period"))
        return confirm_page(
            request,
            Confirmation(
                question=_("Remove the break at %(period)s?") % {"period": found.period.label},
                explanation=_(
                    "Baselines, trends and forecasts compare values across it again, "
                    "and its reason (“%(reason)s”) is not kept. You can record it again."
                )
                % {"reason": found.reason},
                button=_("Remove the break"),
                cancel_url=here,
                fields=(("action", "remove"), ("period", found.period.code)),
            ),
            initiative=initiative,
            section=SECTION,
        )
    if action == "remove":
        found = _series_break(indicator, request.POST.get("period"))
        breaks.series_break_remove(series_break=found, by=request.user)
        messages.success(
            request,
            _("The break at %(period)s is removed: values on both sides of it are compared again.")
            % {"period": found.period.label},
        )
        return redirect(here)
    if action not in {None, "add"}:
        raise Http404(_("No such action."))
    form = SeriesBreakForm(request.POST if action else None, indicator=indicator)
    if action == "add" and form.is_valid():
        try:
            found = breaks.series_break_add(
                indicator=indicator,
                period=form.cleaned_data["period"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.SetupError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                _(
                    "A new series starts at %(period)s: baselines, trends and forecasts "
                    "no longer compare across it."
                )
                % {"period": found.period.label},
            )
            return redirect(here)
    return render(
        request,
        "measurement/setup/breaks.html",
        _context(initiative, indicator=indicator, form=form, breaks=breaks.breaks_of(indicator)),
    )


def _single_group(key: str) -> int | None | bool:
    """The group id of a one-group cell key, None for the total, False for a cross-tab cell."""
    if key == "":
        return None
    return int(key) if "." not in key else False


# --- dimensions and groups -------------------------------------------------------------------


@_sign_in_when_anonymous
def dimensions(request, slug):
    initiative = initiative_for(request.user, slug, "measurement.view")
    may_manage = can(request.user, "measurement.manage", initiative)
    form = None
    if request.method == "POST":
        _initiative(request, slug, "measurement.manage")
    if may_manage:
        form = DimensionForm(request.POST or None, initiative=initiative)
        if request.method == "POST" and form.is_valid():
            try:
                dimension = services.dimension_create(initiative=initiative, **form.cleaned_data)
            except services.SetupError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is added. Add its groups next.") % {"name": dimension.name},
                )
                return redirect("measurement:dimension", initiative.slug, dimension.key)
    return render(
        request,
        "measurement/setup/dimensions.html",
        _context(
            initiative,
            dimensions=selectors.dimensions_with_groups(initiative),
            form=form,
        ),
    )


@_sign_in_when_anonymous
def dimension_detail(request, slug, key):
    """One dimension and its groups. Backbone staff rename it (`action=dimension`), add a
    group (`action=group_add`) or change one (`?group=<key>`, `action=group_edit`)."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    dimension = _dimension(initiative, key)
    may_manage = can(request.user, "measurement.manage", initiative)
    if request.method == "POST":
        _initiative(request, slug, "measurement.manage")
    action = request.POST.get("action") if request.method == "POST" else None
    dimension_form = group_form = edit_form = None
    editing = None
    if may_manage:
        editing_key = (
            request.POST.get("group") if action == "group_edit" else request.GET.get("group")
        )
        if editing_key:
            editing = (
                Group.objects.of(initiative).filter(dimension=dimension, key=editing_key).first()
            )
            if editing is None:
                raise Http404(_("No such group."))
        dimension_form = DimensionForm(
            request.POST if action == "dimension" else None,
            instance=dimension,
            initiative=initiative,
            prefix="dimension",
        )
        track(dimension_form, dimension)
        group_form = GroupForm(
            request.POST if action == "group_add" else None, dimension=dimension, prefix="group"
        )
        if editing is not None:
            edit_form = GroupForm(
                request.POST if action == "group_edit" else None,
                instance=editing,
                dimension=dimension,
                prefix="edit",
            )
            track(edit_form, editing)
        done = None
        if action == "dimension" and dimension_form.is_valid():
            try:
                services.dimension_update(
                    dimension=dimension,
                    by=request.user,
                    read_revision=read_revision(dimension_form),
                    **dimension_form.cleaned_data,
                )
                done = _("%(name)s is saved.") % {"name": dimension.name}
            except services.SetupError as exc:
                _apply(dimension_form, exc)
            except ValidationError as exc:
                add_errors(dimension_form, exc)
        elif action == "group_add" and group_form.is_valid():
            try:
                group = services.group_create(dimension=dimension, **group_form.cleaned_data)
                done = _("%(group)s is added to %(dimension)s.") % {
                    "group": group.name,
                    "dimension": dimension.name,
                }
            except services.SetupError as exc:
                _apply(group_form, exc)
        elif action == "group_edit" and edit_form is not None and edit_form.is_valid():
            try:
                group = services.group_update(
                    group=editing,
                    by=request.user,
                    read_revision=read_revision(edit_form),
                    **edit_form.cleaned_data,
                )
                done = _("%(name)s is saved.") % {"name": group.name}
            except services.SetupError as exc:
                _apply(edit_form, exc)
            except ValidationError as exc:
                add_errors(edit_form, exc)
        elif action is not None and action not in {"dimension", "group_add", "group_edit"}:
            raise Http404(_("No such action."))
        if done:
            messages.success(request, done)
            return redirect("measurement:dimension", initiative.slug, dimension.key)
    groups = list(Group.objects.of(initiative).filter(dimension=dimension))
    return render(
        request,
        "measurement/setup/dimension.html",
        _context(
            initiative,
            dimension=dimension,
            tree=selectors.group_tree(groups),
            nodes=selectors.group_nodes(groups),
            indicators=Indicator.objects.of(initiative)
            .filter(dimensions=dimension)
            .order_by("position", "name"),
            dimension_form=dimension_form,
            group_form=group_form,
            edit_form=edit_form,
            editing=editing,
        ),
    )


# --- periods -----------------------------------------------------------------------------------


@_sign_in_when_anonymous
def periods(request, slug):
    """Periods by kind. Backbone staff generate a run (`action=generate`) and open or close
    one period (`action=open|close`, `period=<code>`)."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    may_manage = can(request.user, "measurement.manage", initiative)
    action = request.POST.get("action", "generate") if request.method == "POST" else None
    if action is not None:
        _initiative(request, slug, "measurement.manage")
    if action in {"open", "close"}:
        return _period_status(request, initiative, action)
    if action not in {None, "generate"}:
        raise Http404(_("No such action."))
    form = None
    if may_manage:
        form = PeriodsGenerateForm(request.POST or None)
        if action == "generate" and form.is_valid():
            try:
                run = services.periods_generate(initiative=initiative, **form.cleaned_data)
            except services.SetupError as exc:
                _apply(form, exc)
            else:
                made = len(run.created)
                text = ngettext("%(count)s period created.", "%(count)s periods created.", made) % {
                    "count": made
                }
                if run.existing:
                    existed = len(run.existing)
                    text += " " + ngettext(
                        "%(count)s existed already: %(codes)s.",
                        "%(count)s existed already: %(codes)s.",
                        existed,
                    ) % {"count": existed, "codes": ", ".join(run.existing)}
                messages.success(request, text)
                return redirect("measurement:periods", initiative.slug)
    return render(
        request,
        "measurement/setup/periods.html",
        _context(
            initiative,
            by_kind=[
                (kind, Period.Kind(kind).label, found)
                for kind, found in selectors.periods_by_kind(initiative, latest_first=True).items()
            ],
            form=form,
            today=timezone.localdate(),
        ),
    )


def _period_status(request, initiative: Initiative, action: str):
    period = selectors.period_in(initiative, request.POST.get("period", ""))
    if period is None:
        raise Http404(_("No such period."))
    who = request.user.name or request.user.email
    if action == "close":
        if services.period_close(period=period, by=request.user):
            when = date_format(timezone.localtime(), "d M Y, H:i")
            messages.success(
                request,
                _(
                    "%(period)s closed by %(who)s on %(when)s. Partners can no longer report for "
                    "it; the backbone can still correct its values."
                )
                % {"period": period.label, "who": who, "when": when},
            )
        else:
            messages.info(request, _("%(period)s was closed already.") % {"period": period.label})
    elif services.period_open(period=period, by=request.user):
        messages.success(
            request,
            _("%(period)s is open for reporting again (%(who)s).")
            % {"period": period.label, "who": who},
        )
    else:
        messages.info(request, _("%(period)s was open already.") % {"period": period.label})
    return redirect("measurement:periods", initiative.slug)
