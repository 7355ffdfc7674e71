"""The guard of issue 17, scoped to what is translated: every text node of the templates
listed here is marked for translation, and every message they mark (and every entry of the
catalogues) has its Spanish and French, not fuzzy, with the same placeholders. A template
joins the list once it is marked and its messages translated; the list grows each time."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests.translations import LANGUAGES, LOCALE, ROOT, template_messages, unmarked_text

pytestmark = pytest.mark.unit

TRANSLATED = [
    "backbone/web/templates/base.html",
    "backbone/web/templates/403.html",
    "backbone/web/templates/404.html",
    "backbone/web/templates/500.html",
    "backbone/web/templates/503.html",
    "backbone/web/templates/web/home.html",
    "backbone/web/templates/web/landing.html",
    "backbone/web/templates/web/_subnav.html",
    "backbone/web/templates/web/_waiting_count.html",
    "backbone/web/templates/web/_language_switcher.html",
    "backbone/accounts/templates/accounts/login.html",
    "backbone/dashboards/templates/dashboards/scorecard.html",
    "backbone/dashboards/templates/dashboards/embed.html",
    "backbone/dashboards/templates/dashboards/indicator.html",
    "backbone/dashboards/templates/dashboards/_scorecard_table.html",
    "backbone/dashboards/templates/dashboards/_needle_moving.html",
    "backbone/dashboards/templates/dashboards/_place_pick.html",
    "backbone/dashboards/templates/dashboards/_series_break.html",
    "backbone/dashboards/templates/dashboards/_sparkline.html",
    "backbone/dashboards/templates/dashboards/_trend.html",
    "backbone/dashboards/templates/dashboards/_gap_movement.html",
    # What the home page and the indicator page include from other areas.
    "backbone/assessments/templates/assessments/_surveys_waiting.html",
    "backbone/communication/templates/communication/_my_action_items.html",
    "backbone/decisions/templates/decisions/_waiting.html",
    "backbone/decisions/templates/decisions/_about.html",
    "backbone/learning/templates/learning/_entries_for.html",
    "backbone/notifications/templates/notifications/_link.html",
    "backbone/health/templates/health/_home_alerts.html",
    # A partner steward's reporting: the reports, the web form, files, submissions, completeness.
    "backbone/measurement/templates/measurement/reporting/overview.html",
    "backbone/measurement/templates/measurement/reporting/pick_partner.html",
    "backbone/measurement/templates/measurement/reporting/form.html",
    "backbone/measurement/templates/measurement/reporting/_input.html",
    "backbone/measurement/templates/measurement/reporting/_status.html",
    "backbone/measurement/templates/measurement/reporting/submissions.html",
    "backbone/measurement/templates/measurement/reporting/submission.html",
    "backbone/measurement/templates/measurement/files/upload.html",
    "backbone/measurement/completeness/templates/completeness/partner.html",
    "backbone/measurement/completeness/templates/completeness/pick_partner.html",
    "backbone/measurement/completeness/templates/completeness/_figures.html",
    "backbone/measurement/completeness/templates/completeness/_figure_heads.html",
    "backbone/measurement/completeness/templates/completeness/_figure_cells.html",
    "backbone/measurement/completeness/templates/completeness/_state.html",
    "backbone/web/templates/web/_form.html",
    "backbone/web/templates/web/_revision.html",
    # A resident's journey: the common agenda and its comments, the updates feed and an update
    # with its comments, and answering an assessment round.
    "backbone/agenda/templates/agenda/detail.html",
    "backbone/agenda/templates/agenda/_comments.html",
    "backbone/agenda/templates/agenda/comments.html",
    "backbone/agenda/templates/agenda/_status.html",
    "backbone/agenda/templates/agenda/refused.html",
    "backbone/updates/templates/updates/feed.html",
    "backbone/updates/templates/updates/detail.html",
    "backbone/updates/templates/updates/_comments.html",
    "backbone/updates/templates/updates/following.html",
    "backbone/updates/templates/updates/update_form.html",
    "backbone/assessments/templates/assessments/answer.html",
    "backbone/assessments/templates/assessments/rounds.html",
    "backbone/assessments/templates/assessments/_nav.html",
    "backbone/assessments/templates/assessments/results.html",
    "backbone/assessments/templates/assessments/_band.html",
    "backbone/assessments/templates/assessments/_comparison.html",
    "backbone/assessments/templates/assessments/_mean_chart.html",
    "backbone/assessments/templates/assessments/questionnaires.html",
    "backbone/assessments/templates/assessments/questionnaire.html",
    # What is sent to a person, in their language: the e-mails, and the report's cover.
    "backbone/updates/templates/updates/digest_email.txt",
    "backbone/measurement/completeness/templates/completeness/reminder_email.txt",
    "backbone/assessments/templates/assessments/reminder_email.txt",
    "backbone/initiatives/templates/initiatives/invitation_email.txt",
    "backbone/accounts/templates/accounts/password_reset_email.txt",
    "backbone/accounts/templates/accounts/password_reset_subject.txt",
    "backbone/notifications/templates/notifications/notification_email.txt",
    "backbone/reports/templates/reports/print.html",
    # The pages of backbone staff and every other page: setup, exchange, plans, reports, people.
    "backbone/measurement/completeness/templates/completeness/assignments.html",
    "backbone/measurement/completeness/templates/completeness/overview.html",
    "backbone/dashboards/templates/dashboards/story_form.html",
    "backbone/frameworks/templates/frameworks/initiative.html",
    "backbone/measurement/templates/measurement/exchange/_delete_mapping.html",
    "backbone/measurement/templates/measurement/exchange/_import_only.html",
    "backbone/measurement/templates/measurement/exchange/_problems.html",
    "backbone/measurement/templates/measurement/exchange/dhis2_export.html",
    "backbone/measurement/templates/measurement/exchange/dhis2_import.html",
    "backbone/measurement/templates/measurement/exchange/dhis2_mappings.html",
    "backbone/measurement/templates/measurement/exchange/tokens.html",
    "backbone/measurement/templates/measurement/files/export.html",
    "backbone/measurement/templates/measurement/setup/_breaks_table.html",
    "backbone/measurement/templates/measurement/setup/_fields.html",
    "backbone/measurement/templates/measurement/setup/_period_table.html",
    "backbone/measurement/templates/measurement/setup/_tree.html",
    "backbone/measurement/templates/measurement/setup/_visibility.html",
    "backbone/measurement/templates/measurement/setup/breaks.html",
    "backbone/measurement/templates/measurement/setup/dimension.html",
    "backbone/measurement/templates/measurement/setup/dimensions.html",
    "backbone/measurement/templates/measurement/setup/home.html",
    "backbone/measurement/templates/measurement/setup/indicator.html",
    "backbone/measurement/templates/measurement/setup/indicator_form.html",
    "backbone/measurement/templates/measurement/setup/periods.html",
    "backbone/measurement/templates/measurement/setup/targets.html",
    "backbone/health/templates/health/_alerts.html",
    "backbone/health/templates/health/health.html",
    "backbone/health/templates/health/settings.html",
    "backbone/reports/templates/reports/_sections.html",
    "backbone/reports/templates/reports/_shared.html",
    "backbone/reports/templates/reports/_sparkline.html",
    "backbone/reports/templates/reports/confirm_delete.html",
    "backbone/reports/templates/reports/detail.html",
    "backbone/reports/templates/reports/form.html",
    "backbone/reports/templates/reports/list.html",
    "backbone/reports/templates/reports/sections/activities.html",
    "backbone/reports/templates/reports/sections/agenda.html",
    "backbone/reports/templates/reports/sections/decisions.html",
    "backbone/reports/templates/reports/sections/effort.html",
    "backbone/reports/templates/reports/sections/funding.html",
    "backbone/reports/templates/reports/sections/indicators.html",
    "backbone/reports/templates/reports/sections/learning.html",
    "backbone/reports/templates/reports/sections/policy.html",
    "backbone/workplan/templates/workplan/_fields.html",
    "backbone/workplan/templates/workplan/_nav.html",
    "backbone/workplan/templates/workplan/effort.html",
    "backbone/workplan/templates/workplan/effort_form.html",
    "backbone/workplan/templates/workplan/funding.html",
    "backbone/workplan/templates/workplan/grant_form.html",
    "backbone/workplan/templates/workplan/grants.html",
    "backbone/workplan/templates/workplan/plan.html",
    "backbone/workplan/templates/workplan/simple_form.html",
    "backbone/workplan/templates/workplan/task_form.html",
    "backbone/agenda/templates/agenda/_move.html",
    "backbone/agenda/templates/agenda/compare.html",
    "backbone/agenda/templates/agenda/edit.html",
    "backbone/agenda/templates/agenda/history.html",
    "backbone/agenda/templates/agenda/item_delete.html",
    "backbone/agenda/templates/agenda/item_form.html",
    "backbone/communication/templates/communication/_action_rows.html",
    "backbone/communication/templates/communication/_actions.html",
    "backbone/communication/templates/communication/_figures.html",
    "backbone/communication/templates/communication/_meetings.html",
    "backbone/communication/templates/communication/_when.html",
    "backbone/communication/templates/communication/feeds.html",
    "backbone/communication/templates/communication/group_detail.html",
    "backbone/communication/templates/communication/group_form.html",
    "backbone/communication/templates/communication/group_list.html",
    "backbone/communication/templates/communication/meeting_detail.html",
    "backbone/communication/templates/communication/meeting_form.html",
    "backbone/decisions/templates/decisions/_ballot.html",
    "backbone/decisions/templates/decisions/_fields.html",
    "backbone/decisions/templates/decisions/_result.html",
    "backbone/decisions/templates/decisions/_rule.html",
    "backbone/decisions/templates/decisions/close.html",
    "backbone/decisions/templates/decisions/detail.html",
    "backbone/decisions/templates/decisions/list.html",
    "backbone/decisions/templates/decisions/propose.html",
    "backbone/decisions/templates/decisions/review.html",
    "backbone/decisions/templates/decisions/rules.html",
    "backbone/decisions/templates/decisions/rules_form.html",
    "backbone/decisions/templates/decisions/vote.html",
    "backbone/accounts/templates/accounts/_recovery_codes.html",
    "backbone/accounts/templates/accounts/password_reset.html",
    "backbone/accounts/templates/accounts/password_reset_complete.html",
    "backbone/accounts/templates/accounts/password_reset_confirm.html",
    "backbone/accounts/templates/accounts/password_reset_done.html",
    "backbone/accounts/templates/accounts/recovery_codes.html",
    "backbone/accounts/templates/accounts/security.html",
    "backbone/accounts/templates/accounts/tokens.html",
    "backbone/accounts/templates/accounts/two_factor_code.html",
    "backbone/audit/templates/audit/events.html",
    "backbone/initiatives/templates/initiatives/_figure.html",
    "backbone/initiatives/templates/initiatives/_getting_started.html",
    "backbone/initiatives/templates/initiatives/initiative_form.html",
    "backbone/initiatives/templates/initiatives/invitation_accept.html",
    "backbone/initiatives/templates/initiatives/invitation_declined.html",
    "backbone/initiatives/templates/initiatives/invitation_invalid.html",
    "backbone/initiatives/templates/initiatives/member_form.html",
    "backbone/initiatives/templates/initiatives/members.html",
    "backbone/initiatives/templates/initiatives/organisation_form.html",
    "backbone/initiatives/templates/initiatives/overview.html",
    "backbone/initiatives/templates/initiatives/partner_detail.html",
    "backbone/initiatives/templates/initiatives/partners.html",
    "backbone/notifications/templates/notifications/inbox.html",
    "backbone/notifications/templates/notifications/settings.html",
    "backbone/notifications/templates/notifications/unsubscribe.html",
    "backbone/web/templates/web/confirm.html",
    "backbone/web/templates/web/limit_reached.html",
    "backbone/webhooks/templates/webhooks/subscriptions.html",
    "backbone/activities/templates/activities/_heat_legend.html",
    "backbone/activities/templates/activities/_status.html",
    "backbone/activities/templates/activities/_when.html",
    "backbone/activities/templates/activities/alignment.html",
    "backbone/activities/templates/activities/confirm_delete.html",
    "backbone/activities/templates/activities/detail.html",
    "backbone/activities/templates/activities/form.html",
    "backbone/activities/templates/activities/list.html",
    "backbone/advocacy/templates/advocacy/_fields.html",
    "backbone/advocacy/templates/advocacy/_nav.html",
    "backbone/advocacy/templates/advocacy/commitments.html",
    "backbone/advocacy/templates/advocacy/form.html",
    "backbone/advocacy/templates/advocacy/partner.html",
    "backbone/advocacy/templates/advocacy/policies.html",
    "backbone/advocacy/templates/advocacy/policy.html",
    "backbone/advocacy/templates/advocacy/public_will.html",
    "backbone/assessments/templates/assessments/round.html",
    "backbone/assessments/templates/assessments/round_form.html",
    "backbone/learning/templates/learning/_entry.html",
    "backbone/learning/templates/learning/_links.html",
    "backbone/learning/templates/learning/_nav.html",
    "backbone/learning/templates/learning/entry.html",
    "backbone/learning/templates/learning/form.html",
    "backbone/learning/templates/learning/log.html",
    "backbone/learning/templates/learning/plan.html",
    "backbone/learning/templates/learning/question.html",
    "backbone/learning/templates/learning/questions.html",
    "backbone/network/templates/network/_nav.html",
    "backbone/network/templates/network/answer.html",
    "backbone/network/templates/network/map.html",
    "backbone/network/templates/network/wave.html",
    "backbone/network/templates/network/wave_form.html",
    "backbone/network/templates/network/waves.html",
    "backbone/phases/templates/phases/_cell.html",
    "backbone/phases/templates/phases/_standing.html",
    "backbone/phases/templates/phases/_status.html",
    "backbone/phases/templates/phases/cell.html",
    "backbone/phases/templates/phases/cell_form.html",
    "backbone/phases/templates/phases/grid.html",
    "backbone/powermap/templates/powermap/_nav.html",
    "backbone/powermap/templates/powermap/form.html",
    "backbone/powermap/templates/powermap/map.html",
    "backbone/powermap/templates/powermap/seats.html",
    "backbone/powermap/templates/powermap/stakeholder.html",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _problems(entry: polib.POEntry) -> list[str]:
    """Why `entry` would not show its translation, or would show it wrongly."""
    if entry.obsolete:
        return []
    if "fuzzy" in entry.flags:
        return ["fuzzy"]
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    if not all(forms):
        return ["untranslated"]
    wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
    return [
        f"placeholders {sorted(set(PLACEHOLDER.findall(form)))} for {sorted(wanted)}"
        for form in forms
        if set(PLACEHOLDER.findall(form)) != wanted
    ]


@pytest.mark.parametrize("path", TRANSLATED)
def test_translated_template_has_no_unmarked_text(path):
    assert unmarked_text((ROOT / path).read_text()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_a_translated_template_is_in_the_catalogue(language):
    entries = {(e.msgctxt, e.msgid): e for e in _catalogue(language) if not e.obsolete}
    missing, wrong = [], []
    for path in TRANSLATED:
        for context, msgid, _plural in template_messages((ROOT / path).read_text()):
            entry = entries.get((context, msgid))
            if entry is None:
                missing.append(f"{path}: {msgid!r}")
            elif _problems(entry):
                wrong.append(f"{path}: {msgid!r}: {_problems(entry)}")
    assert missing == [], "run makemessages (README, Translations)"
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_entry_is_translated_with_its_placeholders(language):
    catalogue = _catalogue(language)
    assert not catalogue.metadata_is_fuzzy
    wrong = {e.msgid: _problems(e) for e in catalogue if _problems(e)}
    assert wrong == {}


def test_the_guard_sees_unmarked_text_and_missing_messages():
    """The guard can fail: English left in a text node or a spoken attribute is found, and
    so is a message the catalogue lacks."""
    source = (
        '{% load i18n %}<p title="Open it">{% translate "Home" %} Left out '
        "{{ x }}</p>{% blocktranslate %}Marked {{ x }}{% endblocktranslate %}"
        '<a href="/x/" class="y">&nbsp;</a>{% comment %}Not shown{% endcomment %}'
    )
    assert unmarked_text(source) == ["Open", "it", "Left", "out"]
    messages = template_messages(
        '{% load i18n %}{% translate "Home" %}{% translate "Main" context "navigation" %}'
        "{% blocktranslate count n=k %}{{ n }} period{% plural %}{{ n }} periods"
        "{% endblocktranslate %}"
    )
    assert messages == {
        (None, "Home", None),
        ("navigation", "Main", None),
        (None, "%(n)s period", "%(n)s periods"),
    }
    entries = {(e.msgctxt, e.msgid) for e in _catalogue("es")}
    assert (None, "A sentence no catalogue has") not in entries
    assert _problems(polib.POEntry(msgid="Hi %(name)s", msgstr="Hola")) == [
        "placeholders [] for ['name']"
    ]
    assert _problems(polib.POEntry(msgid="Hi", msgstr="Hola", flags=["fuzzy"])) == ["fuzzy"]


def test_every_translated_template_exists():
    assert [p for p in TRANSLATED if not Path(ROOT / p).exists()] == []
