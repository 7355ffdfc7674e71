"""Pages of the shared measurement set-up: the indicator list and each indicator's
definition for everyone who may see them; indicators, dimensions, periods, baselines and
targets for the backbone to define. Thin: find the initiative and the item within it, check
one rule in backbone.permissions, call one service, answer. This module holds what the pages
share and the indicators' pages; `views_setup_groups` the dimensions and groups,
`views_setup_periods` the periods."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import add_errors, read_revision, track

from .. import breaks, selectors
from .. import services_setup as services
from ..models import Dimension, Group, Indicator, Period, SeriesBreak, Target
from .forms_setup import IndicatorForm
from .forms_setup_periods import SeriesBreakForm, TargetsForm

SECTION = "measurement"


class SignInFirst(Exception):
    """An anonymous visitor asked for what only signed-in members may see or do."""


def sign_in_when_anonymous(view):
    """Send an anonymous visitor of a public initiative to the sign-in page instead of a 403."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            back = request.get_full_path()
            if request.method != "GET":
                back = reverse("measurement:home", args=[kwargs["slug"]])
            return redirect_to_login(back)

    return wrapper


def initiative_or_refuse(request, slug: str, rule: str) -> Initiative:
    """404 to those who may not see the initiative; sign-in or 403 for those denied `rule`."""
    initiative = initiative_for(request.user, slug)
    if not can(request.user, rule, initiative):
        if not request.user.is_authenticated:
            raise SignInFirst
        raise PermissionDenied
    return initiative


def indicator_or_404(request, initiative: Initiative, code: str) -> Indicator:
    """An indicator this person may see the results of; 404 otherwise, never a hint."""
    indicator = selectors.indicator_in(initiative, code)
    if indicator is None or not can(request.user, "indicator.results", initiative, indicator):
        raise Http404(_("No such indicator."))
    indicator.initiative = initiative
    return indicator


def dimension_or_404(initiative: Initiative, key: str) -> Dimension:
    dimension = selectors.dimension_in(initiative, key)
    if dimension is None:
        raise Http404(_("No such dimension."))
    dimension.initiative = initiative
    return dimension


def page_context(initiative: Initiative, **extra) -> dict:
    return {"initiative": initiative, "section": SECTION, **extra}


def show_refusal(form, error: services.SetupError, dimension_field: str | None = None) -> None:
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
        page_context(
            initiative,
            sections=selectors.indicators_by_goal(initiative, indicators),
            indicator_count=len(indicators),
        ),
    )


def indicator_detail(request, slug, code):
    initiative = initiative_for(request.user, slug, "measurement.view")
    indicator = indicator_or_404(request, initiative, code)
    space, time = selectors.aggregation_in_words(indicator)
    dimensions = {d.pk: d for d in selectors.dimensions_with_groups(initiative)}
    return render(
        request,
        "measurement/setup/indicator.html",
        page_context(
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


@sign_in_when_anonymous
def indicator_create(request, slug):
    initiative = initiative_or_refuse(request, slug, "measurement.manage")
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
            show_refusal(form, exc, form.dimension_fields[0] if form.dimension_fields else None)
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
        page_context(initiative, form=form, indicator=None),
    )


@sign_in_when_anonymous
def indicator_edit(request, slug, code):
    initiative = initiative_or_refuse(request, slug, "measurement.manage")
    indicator = indicator_or_404(request, initiative, code)
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
            show_refusal(form, exc, form.dimension_fields[0] if form.dimension_fields else None)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": indicator.name})
            return redirect("measurement:indicator", initiative.slug, indicator.code)
    return render(
        request,
        "measurement/setup/indicator_form.html",
        page_context(initiative, form=form, indicator=indicator),
    )


@sign_in_when_anonymous
def targets(request, slug, code):
    """Baselines and targets of one indicator, by period, for the total or for the groups of
    one of its dimensions (`?by=<dimension key>`), for periods of one kind (`?kind=`; by
    default the kind its targets are set on, else its reporting frequency)."""
    initiative = initiative_or_refuse(request, slug, "measurement.manage")
    indicator = indicator_or_404(request, initiative, code)
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
        page_context(
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


@sign_in_when_anonymous
def series_breaks(request, slug, code):
    """Where an indicator's series starts again. Backbone staff record a break
    (`action=add`: the first period of the new series and the reason) or remove one
    (`action=remove`, `period=<code>`)."""
    initiative = initiative_or_refuse(request, slug, "measurement.manage")
    indicator = indicator_or_404(request, initiative, code)
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
            show_refusal(form, exc)
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
        page_context(
            initiative, indicator=indicator, form=form, breaks=breaks.breaks_of(indicator)
        ),
    )


def _single_group(key: str) -> int | None | bool:
    """The group id of a one-group cell key, None for the total, False for a cross-tab cell."""
    if key == "":
        return None
    return int(key) if "." not in key else False
