"""The partner network's pages: waves, the answer form, results, the map and its data.

Thin views: access through `backbone.permissions`, reads through `selectors`, writes through
`services`. Outsiders get 404; members denied get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.communication.selectors import groups_visible
from backbone.initiatives.models import Partner
from backbone.permissions import can, initiative_for, require
from backbone.spreadsheets import csv_response
from backbone.web.forms import read_revision, saved, track

from . import selectors, services
from .forms import AnswerForm, MapForm, SubnetworkForm, WaveForm
from .models import SCORE_ITEMS, SCORE_LABELS, TIE_LEVEL, Answer, Level, Rating
from .templatetags.network_figures import measure, pct

SECTION = "network"


def _page(request, template, initiative, **context):
    return render(
        request, f"network/{template}", {"initiative": initiative, "section": SECTION, **context}
    )


def _own_partners(request, initiative, partners):
    """The wave's partners the person may answer for."""
    return [p for p in partners if can(request.user, "network.answer", initiative, p)]


# --- waves -----------------------------------------------------------------------------


def waves(request, slug):
    initiative = initiative_for(request.user, slug, "network.view")
    today = timezone.localdate()
    found = selectors.waves(initiative=initiative)
    mine = []
    if can(request.user, "network.answer", initiative):
        for wave in found:
            if wave.is_open_on(today):
                answers = selectors.answers_of(wave)
                for p in _own_partners(request, initiative, selectors.wave_partners(wave)):
                    mine.append((wave, p, answers.get(p.pk)))
    return _page(
        request,
        "waves.html",
        initiative,
        waves=[(w, w.status_on(today)) for w in found],
        mine=mine,
        may_manage=can(request.user, "network.manage", initiative),
    )


def _wave_form(request, initiative, wave=None):
    form = track(WaveForm(request.POST or None, instance=wave, initiative=initiative), wave)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if wave is None:
            save = lambda: services.wave_open(  # noqa: E731
                initiative=initiative,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
            )
        else:
            save = lambda: services.wave_update(  # noqa: E731
                wave=wave,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                by=request.user,
                read_revision=read_revision(form),
            )
        if saved(form, save):
            messages.success(
                request, _("Saved the wave “%(name)s”.") % {"name": data["name"].strip()}
            )
            return redirect("network:waves", initiative.slug)
    return _page(request, "wave_form.html", initiative, form=form, wave=wave)


def wave_create(request, slug):
    initiative = initiative_for(request.user, slug, "network.manage")
    return _wave_form(request, initiative)


def wave_edit(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "network.manage")
    return _wave_form(request, initiative, selectors.wave_get(initiative=initiative, uuid=uuid))


# --- results ---------------------------------------------------------------------------


def _subnetwork_form(request, initiative, wave, form_class=SubnetworkForm, data=None):
    partners = selectors.wave_partners(wave)
    sectors = sorted({p.organisation.sector for p in partners})
    groups = [g for g, _ in groups_visible(initiative=initiative, person=request.user)]
    return form_class(
        data if data is not None else request.GET or None, sectors=sectors, groups=groups
    )


def wave(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "network.view")
    found = selectors.wave_get(initiative=initiative, uuid=uuid)
    may_partners = can(request.user, "network.partners", initiative)
    individual = can(request.user, "network.ratings", initiative)
    form = _subnetwork_form(request, initiative, found) if may_partners else None
    sub = form.subnetwork() if form is not None else selectors.WHOLE
    result = selectors.results(found, sub=sub, individual=individual)
    summary, per_partner = selectors.contributions(found)
    today = timezone.localdate()
    answers = selectors.answers_of(found)
    mine = [
        (p, answers.get(p.pk))
        for p in _own_partners(request, initiative, selectors.wave_partners(found))
    ]
    return _page(
        request,
        "wave.html",
        initiative,
        wave=found,
        status=found.status_on(today),
        result=result,
        form=form,
        may_partners=may_partners,
        individual=individual,
        may_manage=can(request.user, "network.manage", initiative),
        contributions=summary,
        per_partner=per_partner if may_partners else [],
        mine=mine,
        tie_level=Level(TIE_LEVEL).label,
        min_raters=selectors.MIN_RATERS,
    )


# --- answering -------------------------------------------------------------------------


def _wave_partner(wave, organisation: str) -> Partner:
    return (
        Partner.objects.of(wave.initiative_id)
        .select_related("organisation")
        .one(network_waves=wave, organisation__slug=organisation)
    )


def answer(request, slug, uuid, organisation):
    initiative = initiative_for(request.user, slug, "network.view")
    found = selectors.wave_get(initiative=initiative, uuid=uuid)
    partner = _wave_partner(found, organisation)
    require(request.user, "network.answer", initiative, partner)
    others = [p for p in selectors.wave_partners(found) if p.pk != partner.pk]
    earlier = selectors.answers_of(found).get(partner.pk)
    status = found.status_on(timezone.localdate())
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        others=others,
        initial=AnswerForm.initial_from(earlier),
    )
    track(form, earlier or Answer())  # none yet is read at 0: a first answer meanwhile counts
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok = saved(
            form,
            lambda: services.answer_submit(
                wave=found,
                partner=partner,
                by=request.user,
                ratings=form.ratings(),
                contributions=data["contributions"],
                main_contribution=data["main_contribution"],
                other_contribution=data["other_contribution"],
                read_revision=read_revision(form),
            ),
        )
        if ok:
            messages.success(
                request,
                _("Saved the answer of %(partner)s to “%(wave)s”.")
                % {"partner": partner.organisation.name, "wave": found.name},
            )
            return redirect("network:wave", initiative.slug, found.uuid)
    return _page(
        request,
        "answer.html",
        initiative,
        wave=found,
        partner=partner,
        form=form,
        rows=form.rows(),
        earlier=earlier,
        status=status,
        score_labels=[SCORE_LABELS[item] for item in SCORE_ITEMS],
        levels=Level.choices,
    )


# --- the map ---------------------------------------------------------------------------


def _map_form(request, initiative, wave):
    data = request.GET.copy()
    data.setdefault("level", str(int(TIE_LEVEL)))
    data.setdefault("size", "degree")
    return _subnetwork_form(request, initiative, wave, MapForm, data)


def network_map(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "network.partners")
    found = selectors.wave_get(initiative=initiative, uuid=uuid)
    form = _map_form(request, initiative, found)
    individual = can(request.user, "network.ratings", initiative)
    data = selectors.map_data(
        found, sub=form.subnetwork(), min_level=form.min_level(), individual=individual
    )
    return _page(
        request,
        "map.html",
        initiative,
        wave=found,
        form=form,
        data=data,
        size=(form.cleaned_data.get("size") if form.is_valid() else "") or "degree",
        query=request.GET.urlencode(),
    )


def map_data(request, slug, uuid):
    """The map's data as JSON: `?sector=`, `?group=` (a working group's uuid), `?level=`."""
    initiative = initiative_for(request.user, slug, "network.partners")
    found = selectors.wave_get(initiative=initiative, uuid=uuid)
    form = _map_form(request, initiative, found)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    individual = can(request.user, "network.ratings", initiative)
    data = selectors.map_data(
        found, sub=form.subnetwork(), min_level=form.min_level(), individual=individual
    )
    data["status"] = strip_tags(render_to_string("network/map_status.html", {"data": data})).strip()
    for node in data["nodes"]:
        node["description"] = _described(node)
    return JsonResponse(data)


def _described(node: dict) -> str:
    """What the map says of a partner chosen on it, in the reader's language."""
    return ngettext(
        "%(partner)s (%(sector)s): degree %(degree)s, betweenness %(betweenness)s, "
        "closeness %(closeness)s, trust %(trust)s, %(lines)s line shown.",
        "%(partner)s (%(sector)s): degree %(degree)s, betweenness %(betweenness)s, "
        "closeness %(closeness)s, trust %(trust)s, %(lines)s lines shown.",
        node["lines"],
    ) % {
        "partner": node["label"],
        "sector": node["sector_label"],
        "degree": measure(node["degree"]),
        "betweenness": measure(node["betweenness"], 3),
        "closeness": measure(node["closeness"]),
        "trust": pct(node["trust"]),
        "lines": node["lines"],
    }


# --- raw ratings -----------------------------------------------------------------------


def ratings_csv(request, slug, uuid):
    """Every rating of the wave, one row each: for the backbone and evaluators only."""
    initiative = initiative_for(request.user, slug, "network.ratings")
    found = selectors.wave_get(initiative=initiative, uuid=uuid)
    names = dict(Level.choices)
    rows = (
        Rating.objects.of(initiative)
        .filter(wave=found)
        .order_by("rater__organisation__name", "rated__organisation__name")
        .values_list(
            "rater__organisation__name", "rated__organisation__name", "level", *SCORE_ITEMS
        )
    )
    return csv_response(
        f"network-{found.uuid}.csv",
        ["rater", "rated", "level", "level_name", *SCORE_ITEMS],
        ([rater, rated, level, names[level], *scores] for rater, rated, level, *scores in rows),
    )
