"""Bad answers are refused whole with a clear message, and nothing of them is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backbone.initiatives import services as initiatives
from backbone.network import services
from backbone.network.models import Answer, AnswerContribution, Rating, Wave
from backbone.revisions import EditConflict

from .conftest import answer, open_wave, ratings_for, scores

pytestmark = pytest.mark.integration


@pytest.fixture
def third(cast):
    org = initiatives.organisation_create(name="Riverton Reads", sector="nonprofit")
    return initiatives.partner_add(initiative=cast.initiative, organisation=org)


@pytest.fixture
def wave(cast, third):
    return open_wave(cast.initiative)


def everyone(cast, third):
    return [cast.partner_a, cast.partner_b, third]


def saved() -> tuple[int, int, int, list[int]]:
    return (
        Answer.objects.count(),
        Rating.objects.count(),
        AnswerContribution.objects.count(),
        list(Wave.objects.values_list("version", flat=True)),
    )


def refused(wave, partner, ratings, match: str, **extra) -> ValidationError:
    before = saved()
    with pytest.raises(ValidationError, match=match) as caught:
        services.answer_submit(wave=wave, partner=partner, by=None, ratings=ratings, **extra)
    assert saved() == before  # nothing of the answer is kept
    return caught.value


def good(cast, third, rater=None) -> dict:
    rater = rater or cast.partner_a
    levels = {p.pk: 3 for p in everyone(cast, third) if p.pk != rater.pk}
    return ratings_for(rater, everyone(cast, third), levels)


def test_wave_takes_the_active_partners_when_it_opens(cast, third):
    cast.partner_b.status = "paused"
    cast.partner_b.save()
    wave = open_wave(cast.initiative)
    assert set(wave.partners.all()) == {cast.partner_a, third}


def test_a_partner_rating_every_other_partner_is_saved(cast, third, wave):
    found = services.answer_submit(
        wave=wave,
        partner=cast.partner_a,
        by=cast.steward_a,
        ratings=good(cast, third),
        contributions=["data", "other"],
        main_contribution="data",
        other_contribution="Meeting rooms",
    )
    assert found.ratings.count() == 2
    assert sorted(found.contributions.values_list("kind", flat=True)) == ["data", "other"]
    assert Wave.objects.get().version == 1


def test_a_partner_outside_the_initiative_cannot_be_rated(cast, third, wave):
    outsider_org = initiatives.organisation_create(name="Lakeside Clinic", sector="health")
    outsider = initiatives.partner_add(initiative=cast.other_initiative, organisation=outsider_org)
    ratings = good(cast, third) | {outsider.pk: {"level": 2, **scores(1)}}
    error = refused(wave, cast.partner_a, ratings, "Only partners in the wave")
    assert "Lakeside Clinic" in str(error)


def test_a_partner_that_joined_after_the_wave_opened_cannot_be_rated(cast, third, wave):
    late_org = initiatives.organisation_create(name="Late Joiner", sector="business")
    late = initiatives.partner_add(initiative=cast.initiative, organisation=late_org)
    refused(wave, cast.partner_a, good(cast, third) | {late.pk: {"level": 0}}, "Late Joiner")


def test_a_partner_does_not_rate_itself(cast, third, wave):
    ratings = good(cast, third) | {cast.partner_a.pk: {"level": 4, **scores(2)}}
    refused(wave, cast.partner_a, ratings, "does not rate itself")


@pytest.mark.parametrize("bad", [0, 5, -1, "3", 2.5, True])
def test_a_score_outside_1_to_4_is_refused(cast, third, wave, bad):
    ratings = good(cast, third)
    ratings[cast.partner_b.pk]["supports_mission"] = bad
    error = refused(wave, cast.partner_a, ratings, "supports the mission must be a whole number")
    assert "Northside Food Bank" in str(error)


@pytest.mark.parametrize("bad", [5, -1, None, "2"])
def test_a_level_outside_none_to_collaboration_is_refused(cast, third, wave, bad):
    ratings = good(cast, third)
    ratings[cast.partner_b.pk]["level"] = bad
    refused(wave, cast.partner_a, ratings, "level of collaboration must be one of 0–4")


def test_a_level_above_none_needs_all_six_scores(cast, third, wave):
    ratings = good(cast, third)
    del ratings[third.pk]["resources"]
    refused(wave, cast.partner_a, ratings, r"Riverton Reads: .*missing: resources contributed")


def test_a_level_of_none_takes_no_scores(cast, third, wave):
    ratings = good(cast, third)
    ratings[third.pk]["level"] = 0
    refused(wave, cast.partner_a, ratings, "the level is none, so leave")


def test_every_other_partner_must_be_rated(cast, third, wave):
    ratings = good(cast, third)
    del ratings[third.pk]
    refused(wave, cast.partner_a, ratings, "missing: Riverton Reads")


def test_a_partner_not_in_the_wave_cannot_answer(cast, third, wave):
    late_org = initiatives.organisation_create(name="Late Joiner", sector="business")
    late = initiatives.partner_add(initiative=cast.initiative, organisation=late_org)
    refused(wave, late, good(cast, third), "Late Joiner is not a partner in the wave")


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"contributions": ["bribes"], "main_contribution": ""}, "not a kind of contribution"),
        (
            {"contributions": ["data"], "main_contribution": "funding"},
            "must be one of those ticked",
        ),
        ({"contributions": ["data"], "main_contribution": ""}, "Choose the most important"),
        ({"contributions": ["other"], "main_contribution": "other"}, "Say what the other"),
        (
            {"contributions": ["data"], "main_contribution": "data", "other_contribution": "x"},
            "Tick",
        ),
        ({"contributions": ["data", "data"], "main_contribution": "data"}, "ticked once"),
    ],
)
def test_contributions_are_checked(cast, third, wave, extra, match):
    refused(wave, cast.partner_a, good(cast, third), match, **extra)


def test_answering_again_while_open_replaces_the_answer(cast, third, wave):
    answer(wave, cast.partner_a, everyone(cast, third), {cast.partner_b.pk: 4})
    answer(wave, cast.partner_a, everyone(cast, third), {third.pk: 2})
    found = Answer.objects.get()
    assert dict(found.ratings.values_list("rated_id", "level")) == {
        cast.partner_b.pk: 0,
        third.pk: 2,
    }
    assert found.first_answered_at <= found.answered_at
    assert Wave.objects.get().version == 2


def test_an_answer_saved_since_the_form_was_read_is_refused_whole(cast, third, wave):
    """Two people of one partner revise its answer from the same reading: the second save
    is refused, and the first one's ratings and contributions stay as they were."""
    first = answer(wave, cast.partner_a, everyone(cast, third), {cast.partner_b.pk: 4})
    theirs = answer(
        wave, cast.partner_a, everyone(cast, third), {third.pk: 2}, read_revision=first.revision
    )
    with pytest.raises(EditConflict):
        answer(
            wave, cast.partner_a, everyone(cast, third), {third.pk: 3}, read_revision=first.revision
        )
    found = Answer.objects.get()
    assert found.revision == theirs.revision == first.revision + 1
    assert dict(found.ratings.values_list("rated_id", "level")) == {
        cast.partner_b.pk: 0,
        third.pk: 2,
    }


def test_a_first_answer_meanwhile_refuses_a_form_read_before_it(cast, third, wave):
    """A form read when the partner had no answer is read at 0: an answer given meanwhile
    is not replaced unseen; without a revision (scripts) it is, as before."""
    answer(wave, cast.partner_a, everyone(cast, third), {cast.partner_b.pk: 4})
    with pytest.raises(EditConflict):
        answer(wave, cast.partner_a, everyone(cast, third), {third.pk: 2}, read_revision=0)
    answer(wave, cast.partner_a, everyone(cast, third), {third.pk: 2})
    assert Answer.objects.get().revision == 2


def test_a_second_answer_after_the_close_is_refused(cast, third, wave):
    answer(wave, cast.partner_a, everyone(cast, third), {cast.partner_b.pk: 4})
    after = timezone.now() + timedelta(days=30)
    error = refused(wave, cast.partner_a, good(cast, third), "closed on", at=after)
    assert "answers are no longer taken" in str(error)
    assert dict(Rating.objects.values_list("rated_id", "level")) == {
        cast.partner_b.pk: 4,
        third.pk: 0,
    }


def test_an_answer_before_the_wave_opens_is_refused(cast, third, wave):
    refused(
        wave,
        cast.partner_a,
        good(cast, third),
        "answers are not taken yet",
        at=timezone.now() - timedelta(days=5),
    )


def test_the_close_day_itself_still_takes_answers(cast, third, wave):
    day = timezone.make_aware(
        timezone.datetime.combine(wave.closes_on, timezone.datetime.min.time())
    ) + timedelta(hours=23)
    services.answer_submit(
        wave=wave,
        partner=cast.partner_b,
        by=None,
        ratings=good(cast, third, cast.partner_b),
        at=day,
    )
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"opens_on": 10, "closes_on": 5}, "cannot close before it opens"),
        ({"opens_on": 3, "closes_on": 12}, "waves may not overlap"),
        ({"name": "spring wave", "opens_on": 40, "closes_on": 50}, "already a wave called"),
    ],
)
def test_waves_with_bad_dates_or_names_are_refused(cast, third, wave, fields, match):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match=match):
        services.wave_open(
            initiative=cast.initiative,
            name=fields.get("name", "Another"),
            opens_on=today + timedelta(days=fields["opens_on"]),
            closes_on=today + timedelta(days=fields["closes_on"]),
        )
    assert Wave.objects.count() == 1


def test_a_wave_needs_two_active_partners(cast):
    cast.partner_b.status = "withdrawn"
    cast.partner_b.save()
    with pytest.raises(ValidationError, match="at least two active partners"):
        open_wave(cast.initiative)
    assert not Wave.objects.exists()


def test_the_database_refuses_a_score_out_of_range(cast, third, wave):
    found = answer(wave, cast.partner_a, everyone(cast, third), {})
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            initiative=cast.initiative,
            wave=wave,
            answer=found,
            rater=cast.partner_b,
            rated=third,
            level=2,
            **(scores(3) | {"power": 9}),
        )
