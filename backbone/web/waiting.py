"""How much waits for one person in one initiative, by section of the navigation.

The home page lists each waiting item; the navigation shows their counts beside the page that
deals with them (submissions to approve, reports due, votes, endorsements, action items,
surveys), so a person inside an initiative sees where the work is without going home. The
counts come from the same selectors as the home page, scoped to the one initiative, so the
two never disagree."""

from __future__ import annotations

from backbone.agenda.selectors import pending_endorsements
from backbone.assessments.selectors import waiting_for as surveys_waiting
from backbone.communication.selectors import my_open_actions
from backbone.decisions.selectors import due_for_review, open_for
from backbone.initiatives.models import Initiative
from backbone.measurement.waiting import waiting_for as measurement_waiting


def waiting_counts(person, initiative: Initiative) -> dict[str, int]:
    """Section of the navigation → how many things wait there for `person`."""
    if person is None or not person.is_authenticated:
        return {}
    counts: dict[str, int] = {}
    for w in measurement_waiting(person, [initiative]):
        counts[w.section] = counts.get(w.section, 0) + w.count
    counts["agenda"] = len(pending_endorsements(person, initiative))
    counts["decisions"] = sum(p.my_vote is None for p in open_for(person, initiative)) + len(
        due_for_review(person, initiative=initiative)
    )
    counts["groups"] = len(my_open_actions(person, initiative))
    counts["assessments"] = len(surveys_waiting(person, initiative=initiative))
    return {section: n for section, n in counts.items() if n}
