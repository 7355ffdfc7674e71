"""Figures from the assessments, the partner network and structured decisions, read through
guarded imports: an installation (or a checkout) without one of those apps' readers still
renders the health page, saying the figures are not there yet."""

from __future__ import annotations

from datetime import datetime

from backbone.initiatives.models import Initiative


def assessment_scores(initiative: Initiative) -> dict[str, float | None] | None:
    """Condition element key → mean on 1–5 from the latest closed round; None when the
    assessments app offers no such reader."""
    try:
        from backbone.assessments.selectors import condition_scores
    except ImportError:
        return None
    return condition_scores(initiative)


def network_figures(initiative: Initiative) -> dict | None:
    """The latest closed network survey wave (`wave`, `closed_on`, `density`, `trust_pct`,
    `value_pct`, `reciprocity`, `previous`), or None without a wave or without the reader."""
    try:
        from backbone.network.selectors import latest_wave_figures
    except ImportError:
        return None
    return latest_wave_figures(initiative)


def last_votes(initiative: Initiative) -> dict[int, datetime] | None:
    """Organisation id → its last vote on a structured decision; None without the reader."""
    try:
        from backbone.decisions.selectors import last_vote_by_organisation
    except ImportError:
        return None
    return last_vote_by_organisation(initiative)


def last_survey_answers(initiative: Initiative) -> dict[int, datetime] | None:
    """Organisation id → its last answer to an assessment or the network survey, whichever is
    later; None when neither reader exists."""
    found: dict[int, datetime] = {}
    readers = 0
    try:
        from backbone.assessments.selectors import last_answer_by_organisation as assessed
    except ImportError:
        assessed = None
    try:
        from backbone.network.selectors import last_answer_by_organisation as surveyed
    except ImportError:
        surveyed = None
    for reader in (assessed, surveyed):
        if reader is None:
            continue
        readers += 1
        for organisation_id, at in (reader(initiative) or {}).items():
            if at is not None and (organisation_id not in found or at > found[organisation_id]):
                found[organisation_id] = at
    return found if readers else None
