"""Writes: opening a wave and answering it. Every check runs before the first write, and each
write is one transaction, so a refused answer leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.revisions import revise

from .models import (
    SCORE_ITEMS,
    SCORE_LABELS,
    Answer,
    AnswerContribution,
    Contribution,
    Level,
    Rating,
    Wave,
    WavePartner,
)


def _day(d: date) -> str:
    return date_format(d, "j F Y")


# --- waves -----------------------------------------------------------------------------


def wave_problems(
    *, initiative: Initiative, name: str, opens_on: date | None, closes_on: date | None, wave=None
) -> dict[str, str]:
    """Why a wave could not be saved with these fields, by field; empty when it can."""
    problems: dict[str, str] = {}
    others = Wave.objects.filter(initiative=initiative).exclude(pk=getattr(wave, "pk", None))
    if name and others.filter(name__iexact=name.strip()).exists():
        problems["name"] = f"There is already a wave called “{name.strip()}”."
    if opens_on and closes_on:
        if closes_on < opens_on:
            problems["closes_on"] = "A wave cannot close before it opens."
        else:
            clash = others.filter(opens_on__lte=closes_on, closes_on__gte=opens_on).first()
            if clash:
                problems["opens_on"] = (
                    f"The wave “{clash.name}” runs from {_day(clash.opens_on)} to "
                    f"{_day(clash.closes_on)}; waves may not overlap."
                )
    return problems


def _raise(problems: Mapping[str, Any]) -> None:
    problems = {k: v for k, v in problems.items() if v}
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def wave_open(
    *,
    initiative: Initiative,
    name: str,
    opens_on: date,
    closes_on: date,
    by=None,
    partners: Iterable[Partner] | None = None,
) -> Wave:
    """Open a wave for the initiative's active partners (or the partners given), fixed now."""
    if partners is None:
        chosen = list(Partner.objects.filter(initiative=initiative, status=PartnerStatus.ACTIVE))
    else:
        chosen = list(partners)
    problems = wave_problems(
        initiative=initiative, name=name, opens_on=opens_on, closes_on=closes_on
    )
    if any(p.initiative_id != initiative.pk for p in chosen):
        problems["partners"] = "Only partners of this initiative take part in its waves."
    elif len({p.pk for p in chosen}) < 2:
        problems["partners"] = "A network needs at least two active partners."
    _raise(problems)
    wave = Wave(
        initiative=initiative,
        name=name.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    wave.full_clean()
    wave.save()
    WavePartner.objects.bulk_create(
        WavePartner(initiative=initiative, wave=wave, partner_id=pk)
        for pk in sorted({p.pk for p in chosen})
    )
    return wave


@transaction.atomic
def wave_update(
    *,
    wave: Wave,
    name: str,
    opens_on: date,
    closes_on: date,
    by=None,
    read_revision: int | None = None,
) -> Wave:
    """Rename a wave or move its dates (to extend it, say); its partners stay as opened.
    Refused (EditConflict) when it was saved since the form was read at `read_revision`."""
    _raise(
        wave_problems(
            initiative=wave.initiative, name=name, opens_on=opens_on, closes_on=closes_on, wave=wave
        )
    )
    revise(wave, read=read_revision, by=by)
    wave.name, wave.opens_on, wave.closes_on = name.strip(), opens_on, closes_on
    wave.full_clean()
    wave.save(update_fields=["name", "opens_on", "closes_on"])
    return wave


# --- answers ---------------------------------------------------------------------------


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def rating_problem(level: Any, scores: Mapping[str, Any]) -> str | None:
    """What is wrong with one rating, or None: a level 0–4; with a level above none, all six
    scores 1–4; with none, no scores."""
    if not _whole(level, 0, 4):
        return (
            f"the level of collaboration must be one of 0–4 (none to collaboration), not {level!r}"
        )
    given = {k: v for k, v in scores.items() if v is not None and v != ""}
    unknown = sorted(set(given) - set(SCORE_ITEMS))
    if unknown:
        return f"there is no score called {', '.join(unknown)}"
    if level == Level.NONE:
        if given:
            return "the level is none, so leave the trust and value scores empty"
        return None
    for item in SCORE_ITEMS:
        if item in given and not _whole(given[item], 1, 4):
            label = SCORE_LABELS[item].lower()
            return f"{label} must be a whole number from 1 to 4, not {given[item]!r}"
    missing = [SCORE_LABELS[item].lower() for item in SCORE_ITEMS if item not in given]
    if missing:
        return "with a level above none, give all six scores (missing: " + ", ".join(missing) + ")"
    return None


def contribution_problems(
    *, contributions: Iterable[str], main_contribution: str, other_contribution: str
) -> dict[str, str]:
    kinds = list(contributions)
    known = set(Contribution.values)
    problems: dict[str, str] = {}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        problems["contributions"] = f"“{unknown[0]}” is not a kind of contribution."
    elif len(set(kinds)) != len(kinds):
        problems["contributions"] = "Each kind of contribution is ticked once."
    if main_contribution and main_contribution not in kinds:
        problems["main_contribution"] = (
            "The most important contribution must be one of those ticked."
        )
    elif kinds and not main_contribution:
        problems["main_contribution"] = "Choose the most important of the contributions ticked."
    if Contribution.OTHER in kinds and not other_contribution.strip():
        problems["other_contribution"] = "Say what the other contribution is."
    elif other_contribution.strip() and Contribution.OTHER not in kinds:
        problems["other_contribution"] = "Tick “Other” to describe another contribution."
    return problems


def answer_problem_when(*, wave: Wave, at: datetime) -> str | None:
    """Answers are taken from the day a wave opens to the day it closes, both included."""
    day = timezone.localdate(at)
    if day < wave.opens_on:
        return f"The wave “{wave.name}” opens on {_day(wave.opens_on)}; answers are not taken yet."
    if day > wave.closes_on:
        return (
            f"The wave “{wave.name}” closed on {_day(wave.closes_on)}; answers are no longer taken."
        )
    return None


@transaction.atomic
def answer_submit(
    *,
    wave: Wave,
    partner: Partner,
    by,
    ratings: Mapping[int, Mapping[str, Any]],
    contributions: Iterable[str] = (),
    main_contribution: str = "",
    other_contribution: str = "",
    at: datetime | None = None,
    read_revision: int | None = None,
) -> Answer:
    """A partner's whole answer to a wave: for every other partner of the wave (keyed by its
    Partner id) a mapping with `level` and, above none, the six scores; what it contributes.

    The answer replaces an earlier one of the same partner in the same wave. Anything wrong
    refuses all of it, and so does an answer saved since the form was read at
    `read_revision` (EditConflict; 0 when there was none yet)."""
    at = at or timezone.now()
    kinds = list(contributions)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    participants = dict(
        WavePartner.objects.filter(wave=wave).values_list(
            "partner_id", "partner__organisation__name"
        )
    )
    problems: dict[str, Any] = {"wave": answer_problem_when(wave=wave, at=at)}
    if partner.initiative_id != wave.initiative_id or partner.pk not in participants:
        problems["partner"] = (
            f"{partner.organisation.name} is not a partner in the wave “{wave.name}”."
        )
    _raise(problems)

    errors: list[str] = []
    if partner.pk in ratings:
        errors.append(f"A partner does not rate itself: remove {participants[partner.pk]}.")
    outside = [pk for pk in ratings if pk not in participants]
    if outside:
        names = dict(Partner.objects.filter(pk__in=outside).values_list("pk", "organisation__name"))
        shown = ", ".join(names.get(pk, f"partner #{pk}") for pk in outside)
        errors.append(f"Only partners in the wave “{wave.name}” can be rated; not in it: {shown}.")
    missing = [name for pk, name in participants.items() if pk != partner.pk and pk not in ratings]
    if missing:
        errors.append(
            "Rate every other partner of the wave; missing: " + ", ".join(sorted(missing)) + "."
        )
    for pk, rating in ratings.items():
        if pk in participants and pk != partner.pk:
            scores = {k: v for k, v in rating.items() if k != "level"}
            problem = rating_problem(rating.get("level"), scores)
            if problem:
                errors.append(f"{participants[pk]}: {problem}.")
    problems = contribution_problems(
        contributions=kinds,
        main_contribution=main_contribution,
        other_contribution=other_contribution,
    )
    if errors:
        problems["ratings"] = errors
    _raise(problems)

    answer = Answer.objects.filter(wave=wave, partner=partner).first()
    if answer is None:
        answer = Answer(
            initiative_id=wave.initiative_id, wave=wave, partner=partner, first_answered_at=at
        )
    revise(answer, read=read_revision, by=by)  # under the wave's lock, as every answer
    if answer.pk is not None:
        answer.ratings.all().delete()
        answer.contributions.all().delete()
    answer.main_contribution = main_contribution
    answer.other_contribution = other_contribution.strip()
    answer.answered_by = by
    answer.answered_at = at
    answer.full_clean()
    answer.save()
    Rating.objects.bulk_create(
        Rating(
            initiative_id=wave.initiative_id,
            wave=wave,
            answer=answer,
            rater=partner,
            rated_id=pk,
            level=int(rating["level"]),
            **{
                item: (rating.get(item) if rating["level"] > Level.NONE else None)
                for item in SCORE_ITEMS
            },
        )
        for pk, rating in sorted(ratings.items())
    )
    AnswerContribution.objects.bulk_create(
        AnswerContribution(initiative_id=wave.initiative_id, answer=answer, kind=kind)
        for kind in kinds
    )
    Wave.objects.filter(pk=wave.pk).update(version=F("version") + 1)
    return answer
