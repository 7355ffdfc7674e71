"""No lost updates, on every edit form: two people read the same form, one saves; the other's
save is refused with what was saved meanwhile shown beside what they typed, which they can
then save over knowingly (backbone.revisions, backbone.web.forms.track)."""

from __future__ import annotations

import inspect
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from backbone.advocacy import services as advocacy
from backbone.advocacy.models import Commitment
from backbone.agenda import services as agenda
from backbone.assessments.models import Questionnaire, Round
from backbone.dashboards.services import story_save
from backbone.decisions.services import rules_save
from backbone.health.services import alert_setting_save
from backbone.initiatives.roles import Role
from backbone.initiatives.services import membership_grant
from backbone.measurement import services_setup as setup
from backbone.measurement.intake import Intake, Reported
from backbone.measurement.models import DataValue, Indicator, Period, Target
from backbone.phases import services as phases
from backbone.phases.models import PhaseCell
from backbone.reports import services as reports
from backbone.reports.models import Report
from backbone.revisions import EditConflict
from backbone.workplan.models import BackboneTask, Funder, Grant
from tests.activities.conftest import make_activity
from tests.advocacy.conftest import make_commitment, make_item, make_policy
from tests.communication.conftest import group, meeting
from tests.conftest import client_as
from tests.learning.conftest import make_entry, make_plan_item, make_question
from tests.network.conftest import answer, open_wave
from tests.powermap.conftest import make_body, make_seat, make_stakeholder

pytestmark = pytest.mark.integration

THEIRS, MINE = "Changed meanwhile by Otto", "Typed by Sam"


def _framework(cast) -> None:
    call_command("load_frameworks", verbosity=0)
    from backbone.frameworks.models import Framework

    cast.initiative.framework = Framework.objects.get(slug="collective-impact")
    cast.initiative.phase = "organise_for_impact"
    cast.initiative.save()


def _goal(cast):
    return agenda.goal_create(initiative=cast.initiative, by=cast.staff, title="Ready to learn")


def _strategy(cast):
    return agenda.strategy_create(goal=_goal(cast), by=cast.staff, title="Pre-K places")


def _cell(cast) -> PhaseCell:
    _framework(cast)
    return phases.cell_record(
        initiative=cast.initiative,
        phase="organise_for_impact",
        component="strategic_planning",
        status="in_progress",
        started_on=date(2024, 1, 10),
        evidence="Draft plan",
        by=cast.staff,
    )


def _task(cast) -> BackboneTask:
    _framework(cast)
    return BackboneTask.objects.create(
        initiative=cast.initiative,
        title="Brief the board",
        owner=cast.staff,
        role="guide_vision_and_strategy",
    )


def _grant(cast) -> Grant:
    funder = Funder.objects.create(initiative=cast.initiative, name="Library Friends")
    return Grant.objects.create(
        initiative=cast.initiative,
        funder=funder,
        title="Reading grant",
        amount=Decimal(1000),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status="committed",
    )


def _agenda(cast):
    return agenda.agenda_update(
        initiative=cast.initiative,
        by=cast.staff,
        problem_statement="Too few children are ready.",
        vision="Every child thrives.",
        community_aspirations="",
    )


def _report(cast) -> Report:
    return Report.objects.create(
        initiative=cast.initiative,
        title="Q2 report",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        created_by=cast.staff,
    )


def _indicator(cast) -> Indicator:
    return Indicator.objects.create(initiative=cast.initiative, code="ready", name="Ready")


def _period(cast) -> Period:
    return setup.period_create(initiative=cast.initiative, kind="year", start=date(2025, 1, 1))


def _story(cast):
    return story_save(indicator=_indicator(cast), period=_period(cast), partner=None, by=cast.staff)


def _targets(cast) -> Indicator:
    indicator, period = _indicator(cast), _period(cast)
    setup.target_set(indicator=indicator, by=cast.staff, kind="target", period=period, value=50)
    return indicator


def _target_cell(indicator) -> str:
    return f"target-{Period.objects.get(initiative=indicator.initiative).pk}-total"


def _target(indicator) -> Decimal:
    return Target.objects.get(indicator=indicator, kind="target").value


def _dimension(cast):
    return setup.dimension_create(initiative=cast.initiative, key="place", name="Place")


def _round(cast) -> Round:
    questionnaire = Questionnaire.objects.create(slug="q", name="Q", source_file="q.yaml", data={})
    today = timezone.localdate()
    return Round.objects.create(
        initiative=cast.initiative,
        questionnaire=questionnaire,
        questionnaire_data={"name": "Q"},
        title="Spring",
        opens_on=today,
        closes_on=today + timedelta(days=10),
    )


def _report_value(cast) -> DataValue:
    """The total a partner sent by file for one indicator and an open period: the backbone
    corrects it on the partner's report form."""
    indicator, period = _indicator(cast), _period(cast)
    Intake(
        initiative=cast.initiative, by=cast.steward_a, channel="csv", partner=cast.partner_a
    ).submit([Reported(indicator.code, period.code, value=30)])
    return DataValue.objects.get(indicator=indicator)


def _answer(cast):
    """A partner's answer to an open wave, which Sam and Otto both give as its members."""
    for person in (cast.staff, cast.other_staff):
        membership_grant(
            initiative=cast.initiative,
            person=person,
            role=Role.PARTNER_MEMBER,
            organisation=cast.partner_a.organisation,
        )
    wave = open_wave(cast.initiative)
    return answer(
        wave,
        cast.partner_a,
        list(wave.partners.all()),
        {},
        contributions=["data", "other"],
        main_contribution="data",
        other_contribution="Shared dashboards",
    )


def _revised_by(row):
    row.refresh_from_db()
    return row.revised_by


def _by_uuid(row) -> list:
    return [row.uuid]


def _none(row) -> list:
    return []


def _nothing(row) -> dict:
    return {}


@dataclass(frozen=True)
class Edit:
    """One edit form: how to make the row it edits, the field two people change there (or
    how to name it from the row), and the URL's arguments after the initiative's slug. A form
    that shares its page with others says what else it needs: its name in the page's context,
    the page that shows it when it posts elsewhere, the page's query and what its button
    posts. `values`: what Otto then Sam type; `stored`: the field's value as saved, when the
    row has no attribute of that name; `saved_by`: who saved it last, when the row is one of
    many that no one row's revision counts."""

    make: Callable
    field: str | Callable = "title"
    args: Callable = _by_uuid
    values: tuple[str, str] = (THEIRS, MINE)
    shown: tuple[str, str] | None = None  # how the page shows `values`, when not as typed
    stored: Callable | None = None
    form: str = "form"
    page: str = ""
    query: Callable = lambda row: ""
    button: Callable = _nothing
    saved_by: Callable = _revised_by


EDITS = {
    "initiatives:edit": Edit(lambda cast: cast.initiative, "name", _none),
    "agenda:edit": Edit(_agenda, "vision", _none),
    "agenda:goal_edit": Edit(_goal),
    "agenda:strategy_edit": Edit(_strategy),
    "agenda:action_edit": Edit(
        lambda cast: agenda.action_create(strategy=_strategy(cast), by=cast.staff, title="Seats")
    ),
    "activities:edit": Edit(
        lambda cast: make_activity(cast.partner_a, strategies=[_strategy(cast)]), "name"
    ),
    "advocacy:policy_edit": Edit(lambda cast: make_policy(cast.initiative)),
    "advocacy:item_edit": Edit(lambda cast: make_item(cast.initiative)),
    "advocacy:commitment_edit": Edit(lambda cast: make_commitment(cast.partner_a), "description"),
    "communication:meeting_edit": Edit(lambda cast: meeting(cast, "Reading March")),
    "communication:group_edit": Edit(
        lambda cast: group(cast, "Reading team", cast.steward_a, [cast.steward_a]), "name"
    ),
    "learning:question_edit": Edit(lambda cast: make_question(cast.initiative), "text"),
    "learning:plan_item_edit": Edit(lambda cast: make_plan_item(cast.initiative)),
    "learning:entry_edit": Edit(lambda cast: make_entry(cast.initiative, by=cast.staff)),
    "measurement:indicator_edit": Edit(
        lambda cast: Indicator.objects.create(initiative=cast.initiative, code="ready", name="R"),
        "name",
        lambda row: [row.code],
    ),
    "network:wave_edit": Edit(lambda cast: open_wave(cast.initiative), "name"),
    "network:answer": Edit(
        _answer,
        "other_contribution",
        lambda row: [row.wave.uuid, row.partner.organisation.slug],
    ),
    "measurement:report_form": Edit(
        _report_value,
        "c1_value",
        lambda row: [row.indicator.code, row.period.code],
        values=("41.5", "58.25"),
        stored=lambda row: DataValue.objects.get(pk=row.pk).value,
        query=lambda row: f"?partner={row.partner.organisation.slug}",
        button=lambda row: {"action": "correct", "reason": "Checked with the partner"},
        saved_by=lambda row: DataValue.objects.get(pk=row.pk).submission.created_by,
    ),
    "phases:cell_edit": Edit(_cell, "evidence", lambda row: [row.phase, row.component]),
    "powermap:stakeholder_edit": Edit(lambda cast: make_stakeholder(cast.initiative), "name"),
    "powermap:body_edit": Edit(lambda cast: make_body(cast.initiative), "name"),
    "powermap:seat_edit": Edit(
        lambda cast: make_seat(make_body(cast.initiative), person=cast.steward_a)
    ),
    "reports:edit": Edit(_report),
    "workplan:task_edit": Edit(_task),
    "workplan:grant_edit": Edit(_grant),
    "initiatives:partner": Edit(
        lambda cast: cast.partner_a, "commitment", lambda row: [row.organisation.slug]
    ),
    "initiatives:organisation_edit": Edit(
        lambda cast: cast.partner_a.organisation, "profile", lambda row: [row.slug]
    ),
    "health:settings": Edit(
        lambda cast: alert_setting_save(initiative=cast.initiative, quiet_after_days=90),
        "quiet_after_days",
        _none,
        values=("45", "60"),
    ),
    "dashboards:story_edit": Edit(
        _story, "behind_the_curve", lambda row: [row.indicator.code, row.period.code]
    ),
    "decisions:rules_all": Edit(
        lambda cast: rules_save(
            initiative=cast.initiative, group=None, allowed=["consent"], default_unit="person"
        ),
        "default_unit",
        _none,
        values=("organisation", "person"),
        shown=("One vote per partner organisation", "One vote per person"),
    ),
    "decisions:rules_group": Edit(
        lambda cast: rules_save(
            initiative=cast.initiative,
            group=group(cast, "Reading team", cast.steward_a, [cast.steward_a]),
            allowed=["consent"],
            default_unit="person",
        ),
        "default_unit",
        lambda row: [row.group.uuid],
        values=("organisation", "person"),
        shown=("One vote per partner organisation", "One vote per person"),
    ),
    "measurement:dimension": Edit(
        _dimension,
        "name",
        lambda row: [row.key],
        form="dimension_form",
        button=lambda row: {"action": "dimension"},
    ),
    "measurement:targets": Edit(
        _targets,
        _target_cell,
        lambda row: [row.code],
        values=("41.5", "58.25"),
        stored=_target,
    ),
    "assessments:round_closing_date": Edit(
        _round,
        "closes_on",
        values=("2099-03-01", "2099-04-01"),
        form="closing_form",
        page="assessments:round",
    ),
    # A group's form shares its dimension's page: the URL's name, then what the row is.
    "measurement:dimension#group": Edit(
        lambda cast: setup.group_create(dimension=_dimension(cast), key="north", name="North"),
        "name",
        lambda row: [row.dimension.key],
        form="edit_form",
        query=lambda row: f"?group={row.key}",
        button=lambda row: {"action": "group_edit", "group": row.key},
    ),
}


def posted(form: forms.Form) -> dict:
    """What a browser posts back from `form` as it is shown: each input's value, the
    revision's hidden inputs included."""
    data = {}
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.FileInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            if widget.check_test(bound.value()):
                data[bound.html_name] = "on"
            continue
        shown = widget.format_value(bound.value())
        data[bound.html_name] = "" if shown is None else shown
    tracked = form.tracked
    data[tracked.revision_name], data[tracked.read_name] = str(tracked.revision), tracked.read
    return data


def shown_form(client: Client, url: str, name: str = "form") -> forms.Form:
    """GET the page; its form `name`, after checking the page carries its revision."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context[name]
    hidden = f'name="{form.tracked.revision_name}" value="{form.tracked.revision}"'
    assert hidden in response.text  # the page carries the revision it was read at
    return form


def read(client: Client, url: str) -> dict:
    """GET the edit page; the form's values as the browser would post them."""
    return posted(shown_form(client, url))


@pytest.fixture
def two_staff(cast):
    """Sam (staff) and Otto, made backbone staff of the same initiative."""
    membership_grant(initiative=cast.initiative, person=cast.other_staff, role=Role.BACKBONE_STAFF)
    return client_as(cast.staff), client_as(cast.other_staff)


@pytest.mark.parametrize("name", list(EDITS))
def test_an_edit_saved_over_a_newer_one_is_refused_and_shows_it(cast, two_staff, name):
    edit = EDITS[name]
    found = edit.make(cast)
    args = [cast.initiative.slug, *edit.args(found)]
    url = reverse(name.partition("#")[0], args=args) + edit.query(found)
    page = reverse(edit.page, args=args) + edit.query(found) if edit.page else url
    field = edit.field(found) if callable(edit.field) else edit.field
    theirs, mine = edit.values
    sam, otto = two_staff
    form = shown_form(sam, page, edit.form)
    key, sams = form.add_prefix(field), posted(form) | edit.button(found)

    ottos = posted(shown_form(otto, page, edit.form)) | edit.button(found) | {key: theirs}
    assert otto.post(url, ottos).status_code == 302

    refused = sam.post(url, sams | {key: mine})
    assert refused.status_code in (200, 400)
    assert "Saved meanwhile by Otto Other at" in refused.text
    assert all(text in refused.text for text in edit.shown or edit.values)
    refused_form = refused.context[edit.form]
    label = str(refused_form[field].label)
    assert [row[0] for row in refused_form.tracked.changes] == [label]
    assert theirs in _stored(edit, found, field)

    again = posted(refused_form) | edit.button(found)  # what Sam typed, at Otto's revision
    assert again[key] in (mine, [mine])  # a choice is posted as the list of those chosen
    assert sam.post(url, again).status_code == 302
    assert mine in _stored(edit, found, field)
    assert edit.saved_by(found) == cast.staff


def _stored(edit: Edit, row, field: str) -> str:
    if edit.stored is not None:
        return str(edit.stored(row))
    row.refresh_from_db()
    return str(getattr(row, field))


# Views that bind a form to stored values without editing a row others edit too; each says why.
NOT_EDITS = {
    "agenda:detail": "its publish form carries the draft's fingerprint, a check of its own",
    "agenda:publish": "the same publish form",
    "measurement:upload": "uploads a file; the partner chosen beforehand is only a default",
    "advocacy:update_add": "adds a progress update; its date defaults to today",
    "decisions:close": "closes a proposal once; the review's owner and date are defaults",
    "updates:following": "what one person follows: only they change it",
    "initiatives:invitation": "accepting an invitation makes an account",
}
# Forms that edit stored rows and are still without the check, each with why: none now.
NOT_YET: dict[str, str] = {}


def _views(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern, inner)
        elif pattern.callback.__module__.startswith("backbone."):
            yield f"{namespace}{pattern.name}", pattern


def _source(view) -> str:
    """A view's source with that of the functions of its module it calls or wraps, so that a
    view handing its form to a helper (`_save(…)`, `_closing_form(…)`) is read with it."""
    seen, todo, texts = set(), [view], []
    while todo:
        function = inspect.unwrap(todo.pop())
        if function in seen:
            continue
        seen.add(function)
        text = inspect.getsource(function)
        texts.append(text)
        names = vars(sys.modules[function.__module__])
        called = [names.get(name) for name in re.findall(r"\b(\w+)\(", text)]
        wrapped = [cell.cell_contents for cell in function.__closure__ or ()]
        todo += [
            f
            for f in called + wrapped
            if inspect.isfunction(f) and f.__module__ == function.__module__
        ]
    return "\n".join(texts)


def _edit_views() -> set[str]:
    """Every view at an `edit/` URL, or that binds a form to stored values (`instance=`,
    `initial=`, `track(`) and is not named as one that creates."""
    return {
        name
        for name, pattern in _views(get_resolver())
        if str(pattern.pattern).endswith("edit/")
        or (
            not name.endswith("create")
            and re.search(r"\btrack\(|\binstance=|\binitial=", _source(pattern.callback))
        )
    }


def test_every_view_that_edits_a_stored_row_is_in_the_table():
    tested = {name.partition("#")[0] for name in EDITS} | {e.page for e in EDITS.values()}
    assert _edit_views() == (tested - {""}) | set(NOT_EDITS) | set(NOT_YET)


def test_a_first_save_of_a_cell_refuses_a_form_read_before_it(cast, two_staff):
    """A phase cell is made by its first record: two people reading it empty cannot both
    make it."""
    _framework(cast)
    url = reverse(
        "phases:cell_edit", args=[cast.initiative.slug, "organise_for_impact", "strategic_planning"]
    )
    sam, otto = two_staff
    sams = read(sam, url) | {"status": "in_progress", "started_on": "2024-01-10"}
    ottos = read(otto, url) | {"status": "in_progress", "started_on": "2024-01-10"}
    assert otto.post(url, ottos | {"evidence": THEIRS}).status_code == 302
    refused = sam.post(url, sams | {"evidence": MINE})
    assert "Saved meanwhile by Otto Other" in refused.text and THEIRS in refused.text
    assert PhaseCell.objects.get().evidence == THEIRS


def test_the_service_refuses_a_stale_revision_and_writes_nothing(cast):
    goal = _goal(cast)
    read_at = goal.revision
    agenda.goal_update(
        goal=goal, by=cast.other_staff, title="Theirs", description="", read_revision=read_at
    )
    with pytest.raises(EditConflict) as refused:
        agenda.goal_update(
            goal=goal, by=cast.staff, title="Mine", description="", read_revision=read_at
        )
    assert refused.value.current.revised_by == cast.other_staff
    goal.refresh_from_db()
    assert (goal.title, goal.revision) == ("Theirs", read_at + 1)


def test_a_side_effect_moves_the_revision_so_forms_read_before_notice(cast):
    """A timeline event moves a policy's status without its form: a form read before the
    event may not put the old status back."""
    policy = make_policy(cast.initiative)
    read_at = policy.revision
    advocacy.policy_event_add(
        policy=policy, happened_on=date(2024, 5, 1), description="Heard", status_after="introduced"
    )
    policy.status = "idea"
    with pytest.raises(EditConflict):
        advocacy.policy_save(policy=policy, by=cast.staff, read_revision=read_at)


def test_a_form_posted_without_a_revision_saves_as_before(cast, two_staff):
    """Scripts that post without the hidden inputs are not refused (nothing to compare)."""
    goal = _goal(cast)
    sam, _ = two_staff
    url = reverse("agenda:goal_edit", args=[cast.initiative.slug, goal.uuid])
    response = sam.post(url, {"title": "Scripted", "description": ""})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Scripted"


def test_commitment_status_moved_by_an_update_is_not_put_back(cast):
    commitment = make_commitment(cast.partner_a)
    read_at = commitment.revision
    advocacy.commitment_update_add(
        commitment=commitment, on=date(2024, 3, 1), text="Half done", status="in_progress"
    )
    stale = Commitment.objects.get(pk=commitment.pk)
    stale.status = "committed"
    with pytest.raises(EditConflict):
        advocacy.commitment_save(commitment=stale, by=cast.staff, read_revision=read_at)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
def test_two_saves_from_the_same_revision_at_once_cannot_both_succeed(transactional_db, cast):
    report = _report(cast)
    start = threading.Barrier(2, timeout=10)
    outcomes = {}

    def save(person):
        try:
            mine = Report.objects.get(pk=report.pk)
            start.wait()
            reports.report_update(
                report=mine, data={"title": person.name}, by=person, read_revision=report.revision
            )
            outcomes[person.name] = "saved"
        except EditConflict:
            outcomes[person.name] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(p,)) for p in (cast.staff, cast.other_staff)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    report.refresh_from_db()
    assert outcomes[report.title] == "saved" and report.revision == 1
