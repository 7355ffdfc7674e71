"""What the initiative does, as figures: one function per signal.

Each signal is a share between 0 and 1 built from a numerator and a denominator over a stated
period, with the page the figures come from, so a reader can check them there. A signal with
nothing to measure (no partners, no meetings, no budget) has no share, and counts for nothing
in a condition's score rather than as zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from backbone.activities import alignment
from backbone.activities.models import Activity
from backbone.activities.selectors import parents_of, places
from backbone.agenda.models import Strategy
from backbone.agenda.selectors import endorsement_status
from backbone.communication.figures import CommunicationFigures, communication_figures
from backbone.communication.models import Meeting
from backbone.initiatives.models import Initiative, Membership, Partner
from backbone.initiatives.roles import PartnerStatus, sector_label
from backbone.measurement.completeness.selectors import Figures, completeness
from backbone.measurement.models import Period
from backbone.permissions import COMMUNITY_ROLES
from backbone.workplan.selectors import effort_by_role, secured_against_needed

from . import sources

CALENDAR_DAYS = 365  # reporting is judged over the latest year of the reporting calendar

#: A figure about reports, activities or meetings counts towards a score only once it rests on
#: at least this many of them. Before that a low share says that the initiative is new to
#: Backbone, not that a condition is weak: no meeting in the last twelve months, on the day
#: an initiative is set up, is not a concern. Three rather than one because the first record
#: is often entered to try Backbone out, and a share of one or two things is all or nothing.
ENOUGH_RECORDS = 3


#: The figures of a signal in words, one message per unit so that a translation agrees with
#: its noun ("18 de 23 reuniones", "3 sur 5 réunions"). `unit` stays the key the API gives.
OF_WHOLE = {
    "partners": ngettext_lazy(
        "%(part)s of %(whole)s partner", "%(part)s of %(whole)s partners", "whole"
    ),
    "reports": ngettext_lazy(
        "%(part)s of %(whole)s report", "%(part)s of %(whole)s reports", "whole"
    ),
    "strategies": ngettext_lazy(
        "%(part)s of %(whole)s strategy", "%(part)s of %(whole)s strategies", "whole"
    ),
    "activities": ngettext_lazy(
        "%(part)s of %(whole)s activity", "%(part)s of %(whole)s activities", "whole"
    ),
    "months": ngettext_lazy("%(part)s of %(whole)s month", "%(part)s of %(whole)s months", "whole"),
    "sectors": ngettext_lazy(
        "%(part)s of %(whole)s sector", "%(part)s of %(whole)s sectors", "whole"
    ),
    "meetings": ngettext_lazy(
        "%(part)s of %(whole)s meeting", "%(part)s of %(whole)s meetings", "whole"
    ),
    "roles": ngettext_lazy("%(part)s of %(whole)s role", "%(part)s of %(whole)s roles", "whole"),
}
NONE_TO_COUNT = {
    "partners": gettext_lazy("No partners to count"),
    "reports": gettext_lazy("No reports to count"),
    "strategies": gettext_lazy("No strategies to count"),
    "activities": gettext_lazy("No activities to count"),
    "months": gettext_lazy("No months to count"),
    "sectors": gettext_lazy("No sectors to count"),
    "meetings": gettext_lazy("No meetings to count"),
    "roles": gettext_lazy("No roles to count"),
}
#: Why a share does not count yet, by what it rests on.
SO_FAR = {
    "expected reports": ngettext_lazy(
        "%(count)s expected report so far; counts from %(enough)s",
        "%(count)s expected reports so far; counts from %(enough)s",
        "count",
    ),
    "activities": ngettext_lazy(
        "%(count)s activity so far; counts from %(enough)s",
        "%(count)s activities so far; counts from %(enough)s",
        "count",
    ),
    "active activities": ngettext_lazy(
        "%(count)s active activity so far; counts from %(enough)s",
        "%(count)s active activities so far; counts from %(enough)s",
        "count",
    ),
    "open meetings": ngettext_lazy(
        "%(count)s open meeting so far; counts from %(enough)s",
        "%(count)s open meetings so far; counts from %(enough)s",
        "count",
    ),
    "meetings with attendance": ngettext_lazy(
        "%(count)s meeting with attendance so far; counts from %(enough)s",
        "%(count)s meetings with attendance so far; counts from %(enough)s",
        "count",
    ),
}


def _money(amount) -> str:
    """A sum of money in the reader's format, to the unit: "40,000", "40 000", "40.000"."""
    return number_format(amount, 0, force_grouping=True)


@dataclass(frozen=True)
class Signal:
    key: str
    label: str
    share: float | None  # 0–1 (funding may pass 1); None when there is nothing to measure
    numerator: int | Decimal | float | None
    denominator: int | Decimal | float | None
    unit: str  # what the figures count: "partners", "reports", "months"
    period: str
    url: str | None = None
    source: str = ""  # the name of the page the figures come from
    note: str = ""
    basis: int | None = None  # the records the share rests on; None: it needs no minimum
    basis_unit: str = ""

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)

    @property
    def enough(self) -> bool:
        """Whether the share rests on enough records to count (`ENOUGH_RECORDS`)."""
        return self.basis is None or self.basis >= ENOUGH_RECORDS

    @property
    def scored(self) -> bool:
        return self.share is not None and self.enough

    @property
    def wanting(self) -> str:
        """Why a measured share does not count yet: "1 meeting so far; counts from 3"."""
        if self.share is None or self.enough:
            return ""
        return SO_FAR[self.basis_unit] % {"count": self.basis, "enough": ENOUGH_RECORDS}

    @property
    def figures(self) -> str:
        """The numerator and denominator in words: "18 of 23 partners", "USD 40,000 of
        60,000"; a measure given as a ratio (network density) as itself."""
        if self.numerator is None or self.denominator is None:
            if self.share is None:
                return _("Not measured yet")
            return self.note or number_format(self.share, 2)
        if not self.denominator:
            return str(NONE_TO_COUNT.get(self.unit, _("Nothing to count")))
        if isinstance(self.numerator, Decimal):
            return (
                _("%(currency)s %(secured)s of %(needed)s")
                % {
                    "currency": self.unit,
                    "secured": _money(self.numerator),
                    "needed": _money(self.denominator),
                }
            ).strip()
        return OF_WHOLE[self.unit] % {"part": self.numerator, "whole": self.denominator}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _ratio(key, label, numerator, denominator, **extra) -> Signal:
    share = float(numerator) / float(denominator) if denominator else None
    return Signal(
        key=key, label=label, share=share, numerator=numerator, denominator=denominator, **extra
    )


def _day(d: date) -> str:
    return date_format(d, "j M Y")


# --- common agenda ------------------------------------------------------------------------


def agenda_endorsement(*, initiative: Initiative, today: date) -> Signal:
    """Active partners that endorsed the current version of the agenda, of all active
    partners (`backbone.agenda.selectors.endorsement_status`)."""
    status = endorsement_status(initiative)
    version = status.version
    return _ratio(
        "agenda_endorsement",
        _("Active partners that endorsed the current agenda"),
        status.endorsed if version else 0,
        status.total if version else 0,
        unit="partners",
        period=_("Version %(number)s, recorded %(day)s")
        % {"number": version.number, "day": _day(timezone.localdate(version.created_at))}
        if version
        else _("No version of the agenda recorded yet"),
        url=_url("agenda:detail", initiative.slug),
        source=_("Common agenda"),
    )


# --- shared measurement -------------------------------------------------------------------


def _came_due(period: Period) -> date:
    """When a period's reports came due: its due date, or its last day when it has none."""
    return period.due or period.end


def reporting_periods(*, initiative: Initiative, today: date) -> list[Period]:
    """The latest year of the reporting calendar: the periods whose reports came due before
    today, within 365 days of the latest of them. Judged on the calendar rather than on the
    last twelve months of the clock, so an initiative between reporting rounds is still
    measured on its latest round."""
    due = list(
        Period.objects.filter(initiative=initiative).filter(
            Q(due__lt=today) | Q(due__isnull=True, end__lt=today)
        )
    )
    if not due:
        return []
    latest = max(_came_due(p) for p in due)
    return [p for p in due if _came_due(p) > latest - timedelta(days=CALENDAR_DAYS)]


def reporting_figures(*, initiative: Initiative, today: date) -> tuple[Figures, list[Period]]:
    periods = reporting_periods(initiative=initiative, today=today)
    if not periods:
        return Figures(), []
    return completeness(initiative=initiative, periods=periods, today=today).overall, periods


def _calendar(periods: list[Period]) -> str:
    if not periods:
        return _("No report has come due yet")
    first = min(_came_due(p) for p in periods)
    last = max(_came_due(p) for p in periods)
    return _("Reports due %(first)s – %(last)s") % {"first": _day(first), "last": _day(last)}


def reporting_completeness(
    *, initiative: Initiative, today: date, found: tuple[Figures, list[Period]] | None = None
) -> Signal:
    """Expected reports received (submitted, approved or returned and sent again) of all
    expected reports, over the latest year of the reporting calendar
    (`backbone.measurement.completeness.selectors.completeness`)."""
    figures, periods = found or reporting_figures(initiative=initiative, today=today)
    return _ratio(
        "reporting_completeness",
        _("Expected reports received"),
        figures.received,
        figures.expected,
        unit="reports",
        basis=figures.expected,
        basis_unit="expected reports",
        period=_calendar(periods),
        url=_url("completeness:overview", initiative.slug),
        source=_("Completeness"),
    )


def reporting_timeliness(
    *, initiative: Initiative, today: date, found: tuple[Figures, list[Period]] | None = None
) -> Signal:
    """Expected reports received by their due date, of all expected reports, over the same
    periods as `reporting_completeness`."""
    figures, periods = found or reporting_figures(initiative=initiative, today=today)
    return _ratio(
        "reporting_timeliness",
        _("Expected reports received on time"),
        figures.on_time,
        figures.expected,
        unit="reports",
        basis=figures.expected,
        basis_unit="expected reports",
        period=_calendar(periods),
        url=_url("completeness:overview", initiative.slug),
        source=_("Completeness"),
    )


# --- mutually reinforcing activities ------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    strategies: list[int]
    items: list[alignment.Item]
    parents: dict


def plan_items(*, initiative: Initiative) -> Plan:
    """The plan of action as the alignment rules see it (`backbone.activities.alignment`),
    in five queries."""
    links: dict[str, dict[int, set[int]]] = {"strategy": {}, "places": {}, "groups": {}}
    for name, model, column in (
        ("strategy", Activity.strategies.through, "strategy_id"),
        ("places", Activity.places.through, "group_id"),
        ("groups", Activity.groups.through, "group_id"),
    ):
        for activity_id, other in model.objects.filter(activity__initiative=initiative).values_list(
            "activity_id", column
        ):
            links[name].setdefault(activity_id, set()).add(other)
    items = [
        alignment.Item(
            key=pk,
            partner=partner_id,
            status=status,
            strategies=frozenset(links["strategy"].get(pk, ())),
            places=frozenset(links["places"].get(pk, ())),
            groups=frozenset(links["groups"].get(pk, ())),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for pk, partner_id, status, starts_on, ends_on in Activity.objects.filter(
            initiative=initiative
        ).values_list("pk", "partner_id", "status", "starts_on", "ends_on")
    ]
    strategies = list(Strategy.objects.filter(initiative=initiative).values_list("pk", flat=True))
    return Plan(
        strategies=strategies, items=items, parents=parents_of(places(initiative=initiative))
    )


def strategy_coverage(*, initiative: Initiative, today: date, plan: Plan | None = None) -> Signal:
    """Strategies served by at least one active activity, of all strategies of the agenda:
    one minus the strategy gaps of the alignment matrix."""
    plan = plan or plan_items(initiative=initiative)
    gaps = alignment.strategy_gaps(plan.items, plan.strategies)
    return _ratio(
        "strategy_coverage",
        _("Strategies served by an active activity"),
        len(plan.strategies) - len(gaps),
        len(plan.strategies),
        unit="strategies",
        basis=len(plan.items),
        basis_unit="activities",
        period=_("Activities active today"),
        url=_url("activities:alignment", initiative.slug),
        source=_("Alignment matrix"),
        note=ngettext(
            "%(count)s strategy with no active activity",
            "%(count)s strategies with no active activity",
            len(gaps),
        )
        % {"count": len(gaps)}
        if gaps
        else "",
    )


def activity_overlap_free(
    *, initiative: Initiative, today: date, plan: Plan | None = None
) -> Signal:
    """Active activities that overlap no other partner's (same strategy, nested places, same
    people, overlapping dates), of all active activities: overlaps are duplicated effort."""
    plan = plan or plan_items(initiative=initiative)
    active = [i for i in plan.items if i.is_active]
    overlapping: set = set()
    found = alignment.overlaps(plan.items, plan.parents)
    for o in found:
        overlapping.update((o.first, o.second))
    return _ratio(
        "activity_overlap_free",
        _("Active activities that overlap no other partner's"),
        len(active) - len(overlapping),
        len(active),
        unit="activities",
        basis=len(active),
        basis_unit="active activities",
        period=_("Activities active today"),
        url=_url("activities:alignment", initiative.slug),
        source=_("Alignment matrix"),
        note=ngettext("%(count)s overlapping pair", "%(count)s overlapping pairs", len(found))
        % {"count": len(found)}
        if found
        else "",
    )


# --- continuous communication -------------------------------------------------------------


def _twelve_months(figures: CommunicationFigures, today: date) -> str:
    first, last = date_format(figures.months[0][0], "M Y"), date_format(today, "M Y")
    return f"{first} – {last}"


def meeting_regularity(
    *, initiative: Initiative, today: date, figures: CommunicationFigures | None = None
) -> Signal:
    """Months of the last twelve (this one included) with at least one open meeting
    (`backbone.communication.figures`, which counts neither private meetings nor those of
    private groups)."""
    figures = figures or communication_figures(initiative=initiative, today=today)
    held = sum(1 for _month, n in figures.months if n)
    return _ratio(
        "meeting_regularity",
        _("Months with a meeting"),
        held,
        len(figures.months),
        unit="months",
        basis=figures.meetings,
        basis_unit="open meetings",
        period=_twelve_months(figures, today),
        url=_url("communication:list", initiative.slug),
        source=_("Working groups and meetings"),
        note=ngettext("%(count)s open meeting", "%(count)s open meetings", figures.meetings)
        % {"count": figures.meetings},
    )


def partner_attendance(
    *, initiative: Initiative, today: date, figures: CommunicationFigures | None = None
) -> Signal:
    """Active partners with someone at an open meeting in the last 91 days, of all active
    partners (`backbone.communication.figures`)."""
    figures = figures or communication_figures(initiative=initiative, today=today)
    return _ratio(
        "partner_attendance",
        _("Active partners at a meeting in the last quarter"),
        figures.partners_attending,
        figures.partners_active,
        unit="partners",
        basis=figures.meetings,
        basis_unit="open meetings",
        period=_("The 91 days to %(day)s") % {"day": _day(today)},
        url=_url("communication:list", initiative.slug),
        source=_("Working groups and meetings"),
    )


def sector_reach(
    *, initiative: Initiative, today: date, figures: CommunicationFigures | None = None
) -> Signal:
    """Sectors of the active partners with someone at an open meeting in the last twelve
    months, of the sectors the active partners are in: every sector at the table."""
    figures = figures or communication_figures(initiative=initiative, today=today)
    sectors = {
        sector_label(s)
        for s in Partner.objects.filter(
            initiative=initiative, status=PartnerStatus.ACTIVE
        ).values_list("organisation__sector", flat=True)
    }
    present = {label for label, n in figures.by_sector if n} & sectors
    missing = sorted(sectors - present)
    return _ratio(
        "sector_reach",
        _("Partner sectors at the meetings"),
        len(present),
        len(sectors),
        unit="sectors",
        basis=figures.meetings,
        basis_unit="open meetings",
        period=_twelve_months(figures, today),
        url=_url("communication:list", initiative.slug),
        source=_("Working groups and meetings"),
        note=_("Not seen: %(sectors)s") % {"sectors": ", ".join(missing)} if missing else "",
    )


def community_presence(
    *, initiative: Initiative, today: date, figures: CommunicationFigures | None = None
) -> Signal:
    """Open meetings of the last twelve months with at least one community member among those
    who came, of the open meetings held with attendance recorded."""
    figures = figures or communication_figures(initiative=initiative, today=today)
    since = figures.months[0][0]
    meetings = (
        Meeting.objects.filter(
            initiative=initiative,
            is_private=False,
            starts_at__date__gte=since,
            starts_at__date__lte=today,
        )
        .filter(Q(group__isnull=True) | Q(group__is_private=False))
        .filter(attendees__isnull=False)
        .distinct()
    )
    community = Membership.objects.filter(initiative=initiative, role__in=COMMUNITY_ROLES).values(
        "person_id"
    )
    with_residents = meetings.filter(attendees__in=community).distinct().count()
    held = meetings.count()
    return _ratio(
        "community_presence",
        _("Meetings with a community member present"),
        with_residents,
        held,
        unit="meetings",
        basis=held,
        basis_unit="meetings with attendance",
        period=_twelve_months(figures, today),
        url=_url("communication:list", initiative.slug),
        source=_("Working groups and meetings"),
    )


def _wave_period(wave: dict) -> str:
    closed = wave.get("closed_on")
    name = wave.get("wave") or _("Latest wave")
    return (
        _("%(wave)s, closed %(day)s") % {"wave": name, "day": _day(closed)} if closed else str(name)
    )


def network_density(*, initiative: Initiative, today: date, wave: dict | None = None) -> Signal:
    """Density of the partner network from the latest closed survey wave: the ties reported
    of all possible ties (`backbone.network.selectors.latest_wave_figures`), taken as it is."""
    wave = wave if wave is not None else sources.network_figures(initiative)
    density = wave.get("density") if wave else None
    return Signal(
        key="network_density",
        label=_("Network density"),
        share=None if density is None else float(density),
        numerator=None,
        denominator=None,
        unit="ties of all possible ties",
        note=""
        if density is None
        else _("Density %(density).2f: the share of all possible ties")
        % {"density": float(density)},
        period=_wave_period(wave) if wave else _("No network survey yet"),
        url=_url("network:waves", initiative.slug) if wave else None,
        source=_("Partner network") if wave else "",
    )


def network_trust(*, initiative: Initiative, today: date, wave: dict | None = None) -> Signal:
    """Average trust between partners from the latest closed survey wave, as a percentage of
    the 1–4 scale's top (`trust_pct`)."""
    wave = wave if wave is not None else sources.network_figures(initiative)
    trust = wave.get("trust_pct") if wave else None
    return Signal(
        key="network_trust",
        label=_("Trust between partners"),
        share=None if trust is None else float(trust) / 100,
        numerator=None,
        denominator=None,
        unit="percent of full trust",
        note="" if trust is None else _("Average trust %(trust).0f%%") % {"trust": float(trust)},
        period=_wave_period(wave) if wave else _("No network survey yet"),
        url=_url("network:waves", initiative.slug) if wave else None,
        source=_("Partner network") if wave else "",
    )


# --- backbone support ---------------------------------------------------------------------


def effort_spread(*, initiative: Initiative, today: date) -> Signal:
    """Backbone roles given at least half an even share of the hours logged over the last six
    months (with six roles, 1/12 of the hours), of all the framework's backbone roles
    (`backbone.workplan.selectors.effort_by_role`). The starved role is named."""
    found = effort_by_role(initiative=initiative, today=today)
    roles = len(found.rows)
    if not found.recent_total or not roles:
        fair = 0
    else:
        floor = found.recent_total / (2 * roles)
        fair = sum(1 for r in found.rows if r.recent_hours >= floor)
    starved = ", ".join(r["name"] for r in found.starved)
    return _ratio(
        "effort_spread",
        _("Backbone roles with a fair share of the effort"),
        fair,
        roles if found.recent_total else 0,
        unit="roles",
        period=_("Hours logged %(first)s – %(last)s")
        % {"first": date_format(found.months[-6], "M Y"), "last": date_format(today, "M Y")},
        url=_url("workplan:effort", initiative.slug),
        source=_("Effort by role"),
        note=_("Starved: %(roles)s") % {"roles": starved} if starved else "",
    )


def funding_secured(*, initiative: Initiative, today: date) -> Signal:
    """Committed and received grants for this calendar year (pro rata by days) against the
    budget needed (`backbone.workplan.selectors.secured_against_needed`). With budgets in
    several currencies, the share is the mean of each currency's."""
    years = [
        y
        for y in secured_against_needed(initiative=initiative)
        if y.year == today.year and y.needed
    ]
    common = {"unit": "", "period": _("Calendar year %(year)s") % {"year": today.year}}
    common.update(url=_url("workplan:funding", initiative.slug), source=_("Funding"))
    if len(years) == 1:
        (y,) = years
        common["unit"] = y.currency
        return _ratio(
            "funding_secured", _("Funding secured against budget"), y.secured, y.needed, **common
        )
    shares = [float(y.secured / y.needed) for y in years]
    return Signal(
        key="funding_secured",
        label=_("Funding secured against budget"),
        share=sum(shares) / len(shares) if shares else None,
        numerator=None,
        denominator=None,
        note="; ".join(
            _("%(currency)s %(secured)s of %(needed)s")
            % {"currency": y.currency, "secured": _money(y.secured), "needed": _money(y.needed)}
            for y in years
        ),
        **common,
    )


SIGNALS: dict[str, Callable[..., Signal]] = {
    "agenda_endorsement": agenda_endorsement,
    "reporting_completeness": reporting_completeness,
    "reporting_timeliness": reporting_timeliness,
    "strategy_coverage": strategy_coverage,
    "activity_overlap_free": activity_overlap_free,
    "meeting_regularity": meeting_regularity,
    "partner_attendance": partner_attendance,
    "sector_reach": sector_reach,
    "community_presence": community_presence,
    "network_density": network_density,
    "network_trust": network_trust,
    "effort_spread": effort_spread,
    "funding_secured": funding_secured,
}


def all_signals(*, initiative: Initiative, today: date) -> dict[str, Signal]:
    """Every signal, reading what several share (completeness, the plan, the communication
    figures, the network wave) once."""
    reporting = reporting_figures(initiative=initiative, today=today)
    plan = plan_items(initiative=initiative)
    figures = communication_figures(initiative=initiative, today=today)
    wave = sources.network_figures(initiative) or {}
    shared = {
        "reporting_completeness": {"found": reporting},
        "reporting_timeliness": {"found": reporting},
        "strategy_coverage": {"plan": plan},
        "activity_overlap_free": {"plan": plan},
        "meeting_regularity": {"figures": figures},
        "partner_attendance": {"figures": figures},
        "sector_reach": {"figures": figures},
        "community_presence": {"figures": figures},
        "network_density": {"wave": wave},
        "network_trust": {"wave": wave},
    }
    return {
        key: fn(initiative=initiative, today=today, **shared.get(key, {}))
        for key, fn in SIGNALS.items()
    }
