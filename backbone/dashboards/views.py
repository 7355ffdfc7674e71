"""Dashboard pages: the scorecard (one page for every reader: the public reads it as the public
may, members may look at it as the public does), an indicator's page, and the embeddable
scorecard. Thin: find the initiative, check the rules, ask a selector, render."""

from __future__ import annotations

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from backbone.initiatives.models import Initiative, Partner
from backbone.measurement import selectors as measurement
from backbone.measurement.models import Group, Period
from backbone.permissions import can, initiative_for, organisations_acted_for
from backbone.spreadsheets import csv_response
from backbone.web.forms import read_revision, saved, track

from . import charts, services, tables
from .exports import HEADER, TABLE_HEADER, scorecard_rows, table_rows
from .forms import StoryForm
from .indicator_page import indicator_page, indicator_tables
from .models import Story
from .scorecard import places_of, scorecard
from .templatetags.figures import figure

SECTION = "scorecard"
EMBED_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors *",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)


def _with_sparklines(card):
    charts.with_sparklines(card.rows)
    return card


class _NoSuchPlace(ValueError):
    pass


def _refused_as_400(view):
    """A place or a table the query names that does not exist answers 400 with the reason."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (_NoSuchPlace, tables.UnknownAxis) as refused:
            return HttpResponseBadRequest(str(refused), content_type="text/plain; charset=utf-8")

    return wrapped


def _place(request, initiative: Initiative):
    """The place of `?place=<dimension>:<place>`, or None for the whole initiative."""
    spec = request.GET.get("place", "")
    if not spec:
        return None
    dim, _colon, key = spec.partition(":")
    found = (
        Group.objects.of(initiative)
        .filter(dimension__key=dim, dimension__is_geography=True, key=key)
        .select_related("dimension")
        .first()
    )
    if found is None:
        raise _NoSuchPlace(
            _("No place %(place)s: write the place dimension and the place, as place:northside.")
            % {"place": repr(spec)}
        )
    return found


def _as_public(request, initiative: Initiative) -> bool:
    """`?as=public`: the scorecard as anyone without an account reads it, so members see what
    their initiative publishes."""
    return initiative.is_public and request.GET.get("as") == "public"


def _card(request, initiative, *, public_only: bool):
    place = _place(request, initiative)
    person = None if public_only else request.user
    return scorecard(initiative=initiative, person=person, public_only=public_only, place=place)


def _rendered(request, template, initiative, card, **extra):
    return render(
        request,
        template,
        {
            "initiative": initiative,
            "section": SECTION,
            "card": _with_sparklines(card),
            "places": places_of(initiative),
            **extra,
        },
    )


def _file_name(initiative, card, what: str) -> str:
    where = f"-{card.place.dimension.key}-{card.place.key}" if card.place else ""
    return f"{initiative.slug}{where}-{what}.csv"


@_refused_as_400
def scorecard_view(request, slug):
    initiative = initiative_for(request.user, slug, "measurement.view")
    public = _as_public(request, initiative)
    card = _card(request, initiative, public_only=public)
    return _rendered(request, "dashboards/scorecard.html", initiative, card, as_public=public)


@_refused_as_400
def scorecard_export(request, slug):
    initiative = initiative_for(request.user, slug, "measurement.view")
    card = _card(request, initiative, public_only=False)
    return csv_response(_file_name(initiative, card, "scorecard"), HEADER, scorecard_rows(card))


@_refused_as_400
def public_export(request, slug):
    initiative = _public_initiative(slug)
    card = _card(request, initiative, public_only=True)
    name = _file_name(initiative, card, "public-scorecard")
    return csv_response(name, HEADER, scorecard_rows(card))


def _public_initiative(slug: str) -> Initiative:
    """A public initiative, whoever asks: the public scorecard needs no account."""
    initiative = Initiative.objects.visible_to(None).filter(slug=slug).first()
    if initiative is None:
        raise Http404(_("No such initiative."))
    return initiative


def public_scorecard(request, slug):
    """The address the public scorecard once had, kept for links and embeds made before: it is
    the scorecard read as the public reads it."""
    initiative = _public_initiative(slug)
    query = {"as": "public"}
    if request.GET.get("place"):
        query["place"] = request.GET["place"]
    target = reverse("dashboards:scorecard", args=[initiative.slug])
    return redirect(f"{target}?{urlencode(query)}", permanent=True)


@xframe_options_exempt
def embed(request, slug):
    """The public scorecard for other sites' pages: any site may frame it; it carries no
    script, no form and nothing that is not on the public scorecard."""
    initiative = _public_initiative(slug)
    card = _with_sparklines(scorecard(initiative=initiative, person=None, public_only=True))
    response = render(request, "dashboards/embed.html", {"initiative": initiative, "card": card})
    response.headers["Content-Security-Policy"] = EMBED_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _indicator_query(request, slug, code, read):
    """The indicator as the query asks, read by `read` (`indicator_page` or
    `indicator_tables`): `period`, `level` (a place dimension at a level, `place:1`) and the
    cross-tab's `rows` and `columns`."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    found = measurement.indicator_in(initiative, code)
    if found is None or not can(request.user, "indicator.results", initiative, found):
        raise Http404(_("No such indicator."))
    period = Period.objects.of(initiative).filter(code=request.GET.get("period")).first()
    cross = [request.GET.get("rows", ""), request.GET.get("columns", "")]
    page = read(
        initiative=initiative,
        indicator=found,
        person=request.user,
        period=period,
        level=[spec for spec in request.GET.getlist("level") if spec],
        cross=cross if all(cross) else [],
    )
    return initiative, found, page


@_refused_as_400
def indicator(request, slug, code):
    read = partial(indicator_page, partners_page=request.GET.get("partners"))
    initiative, found, page = _indicator_query(request, slug, code, read)
    page.row.sparkline = charts.row_sparkline(page.row, lambda v: figure(v, found))
    page.chart_rows = charts.chart_rows(page.curve)
    acts_for = organisations_acted_for(request.user, initiative)
    story_partners = [
        p
        for p in Partner.objects.of(initiative)
        .filter(organisation_id__in=acts_for)
        .select_related("organisation")
        if can(request.user, "story.edit", initiative, p)
    ]
    return render(
        request,
        "dashboards/indicator.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "indicator": found,
            "page": page,
            "may_tell_story": can(request.user, "story.edit", initiative),
            "story_partners": story_partners,
            "is_backbone": can(request.user, "measurement.manage", initiative),
        },
    )


@_refused_as_400
def indicator_table_export(request, slug, code):
    """The breakdown tables of the indicator page as the reader chose and sees them."""
    initiative, found, chosen = _indicator_query(request, slug, code, indicator_tables)
    name = f"{initiative.slug}-{found.code}-{chosen.period.code if chosen.period else 'none'}.csv"
    return csv_response(name, TABLE_HEADER, table_rows(chosen))


def story_edit(request, slug, code, period_code):
    """Write the story behind the curve of one period: the backbone's own (no `partner`) or a
    partner's (`?partner=<organisation slug>`)."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = measurement.indicator_in(initiative, code)
    period = Period.objects.of(initiative).filter(code=period_code).first()
    if found is None or period is None:
        raise Http404(_("No such indicator or period."))
    if not can(request.user, "indicator.results", initiative, found):
        raise Http404(_("No such indicator."))
    partner_slug = request.GET.get("partner") or request.POST.get("partner") or ""
    partner = None
    if partner_slug:
        partner = (
            Partner.objects.of(initiative)
            .filter(organisation__slug=partner_slug)
            .select_related("organisation")
            .first()
        )
        if partner is None:
            raise Http404(_("No such partner."))
    allowed = (
        can(request.user, "story.edit", initiative, partner)
        if partner is not None
        else can(request.user, "measurement.manage", initiative)
    )
    if not allowed:
        raise PermissionDenied
    story = found.stories.filter(period=period, partner=partner).first()
    form = track(StoryForm(request.POST or None, instance=story), story or Story())
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.story_save,
            indicator=found,
            period=period,
            partner=partner,
            by=request.user,
            read_revision=read_revision(form),
            **form.cleaned_data,
        )
        if saved(form, save):
            messages.success(
                request,
                _("The story behind the curve for %(period)s is saved.") % {"period": period.label},
            )
            return redirect("dashboards:indicator", initiative.slug, found.code)
    return render(
        request,
        "dashboards/story_form.html",
        {
            "initiative": initiative,
            "section": SECTION,
            "indicator": found,
            "period": period,
            "partner": partner,
            "form": form,
        },
    )
