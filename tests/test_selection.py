"""The second database's run takes what a database can change, and only that."""

from __future__ import annotations

import pytest

from tests.selection import repeated_on_a_second_database


def test_a_test_that_never_opens_the_database_runs_once(request):
    assert not repeated_on_a_second_database(request.node)


def test_a_test_on_the_database_runs_on_both(db, request):
    assert repeated_on_a_second_database(request.node)


@pytest.mark.django_db
def test_a_test_marked_for_the_database_runs_on_both(request):
    assert repeated_on_a_second_database(request.node)


def test_a_test_on_a_fixture_that_uses_the_database_runs_on_both(cast, request):
    assert repeated_on_a_second_database(request.node)
